package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.event.DaemonEvent;
import dev.taskd.event.EventJson;
import dev.taskd.event.TaskdEvent;
import dev.taskd.store.Store;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /v1/events}: server-sent events of reloads ({@code reload}), pending plans
 * ({@code plan}) and loop lifecycle ({@code loop}, the loop event's fields with numbers as JSON
 * numbers), each with an {@code id} that only grows for the life of the data dir
 * ({@link EventIds}). A client that reconnects with {@code Last-Event-ID} first gets the events it
 * missed from the {@link ReplayBuffer}, or a {@code reset} event when the buffer does not hold
 * them all, so it knows to re-read state. A slow client reads at its own pace from the same
 * buffer and cannot slow anything else; one that falls behind by more than the buffer holds gets
 * a {@code reset}. A comment line every 15 s keeps idle connections open through proxies.
 * {@code ?type=} and {@code ?loop=} narrow what one client gets ({@link EventFilter}). Every
 * event's data has an ISO-8601 {@code at}.
 */
public final class EventStream implements HttpService {

    /** The {@code retry:} sent at connect: how long a client waits before reconnecting. */
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /**
     * How long a stream that has caught up waits before it reads again, so that the events of a
     * busy second reach a client in a few dozen writes, not one write (and one wake-up of the
     * client, a browser tab above all) each. An event after a quiet spell goes out at once; one
     * in a burst waits at most this long. A stream behind by a whole batch does not wait.
     */
    private static final long COALESCE_MILLIS = 20;
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final ReplayBuffer buffer;

    /** Continues the event ids recorded in {@code store}. */
    public EventStream(Store store) {
        this.buffer = new ReplayBuffer(EventIds.open(store));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", this::stream).any("/events", Allow.only("GET"));
    }

    /** Streams {@code event} to every client; never blocks. The daemon's own events are only logged. */
    public void emit(TaskdEvent event) {
        Optional<ObjectNode> data = EventJson.data(event, Instant.now());
        if (data.isEmpty()) {
            return;
        }
        switch (event) {
            case TaskdEvent.Loop loop -> buffer.publish("loop", loop.name(), loop.event().loopId(),
                    ApiJson.write(data.get()));
            case TaskdEvent.Reload reload -> buffer.publish("reload", ApiJson.write(data.get()));
            case TaskdEvent.Plan plan -> buffer.publish("plan", ApiJson.write(data.get()));
            case DaemonEvent daemon -> { }
        }
    }

    /**
     * Ends every stream (clients see the connection close) and records the last id handed out,
     * so the next start continues right after it. Call while the store is still open.
     */
    public void close() {
        buffer.close();
    }

    /**
     * Filters apply to the replay as to live events. A client whose filter passes nothing still
     * gets a keep-alive every {@link #KEEP_ALIVE}, however busy the buffer is.
     */
    private void stream(ServerRequest request, ServerResponse response) {
        EventFilter filter = EventFilter.of(request.query());
        ReplayBuffer.Cursor cursor = buffer.cursor(lastEventId(request).orElse(null));
        try (SseWriter sink = new SseWriter(response)) {
            sink.open("taskd events", RECONNECT_DELAY);
            long lastWrite = System.nanoTime();
            while (!buffer.closed()) {
                boolean wrote = false;
                switch (buffer.read(cursor, KEEP_ALIVE)) {
                    case ReplayBuffer.Reset reset -> {
                        sink.event(reset.newestId(), "reset", resetData(reset));
                        wrote = true;
                    }
                    case ReplayBuffer.Events events -> {
                        for (ReplayBuffer.Event event : events.events()) {
                            if (filter.matches(event)) {
                                sink.append(event.id(), event.name(), event.data());
                                wrote = true;
                            }
                        }
                        if (wrote) {
                            sink.flush(); // the events read together go together
                        }
                        if (!events.events().isEmpty() && events.events().size() < ReplayBuffer.MAX_BATCH) {
                            Thread.sleep(COALESCE_MILLIS); // caught up: let the next ones gather
                        }
                    }
                }
                if (wrote) {
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
                    sink.comment("keep-alive");
                    lastWrite = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The client went away; its cursor goes with it.
        }
    }

    /** The header's id; a 400 naming it when it is not a whole number of 0 or more. */
    private static Optional<Long> lastEventId(ServerRequest request) {
        Optional<String> header = request.headers().first(LAST_EVENT_ID).map(String::strip);
        if (header.isEmpty() || header.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(header.get());
            if (id >= 0) {
                return Optional.of(id);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("Last-Event-ID '" + abbreviate(header.get()) + "' is not an event id:"
                + " send the id of the last event received (a whole number), or no header to get only new events");
    }

    private static String resetData(ReplayBuffer.Reset reset) {
        ObjectNode data = ApiJson.object().put("reason", reset.reason()).put("last_event_id", reset.lastEventId());
        if (reset.oldestId() >= 0) {
            data.put("oldest_id", reset.oldestId());
        } else {
            data.putNull("oldest_id");
        }
        return ApiJson.write(data.put("newest_id", reset.newestId()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
