package dev.taskd.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.concurrent.Threads;
import dev.taskd.config.NotifySettings;
import dev.taskd.event.EventJson;
import dev.taskd.event.TaskdEvent;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tells webhooks of events ({@code [notify.NAME]}), off every path that makes events: {@link #offer}
 * only puts the event in a bounded queue and returns, so a slow or dead receiver never delays a
 * loop or a reload. One dispatcher thread takes events from the queue, builds each body once
 * (the JSON {@code /v1/events} gives), and starts one virtual thread per delivery
 * ({@link Sender}), at most {@link #IN_FLIGHT} at once; when that many hang, the dispatcher
 * waits and the queue fills, and a full queue drops its oldest event, counted in the log.
 * Thread-safe.
 */
public final class Notifier implements AutoCloseable {

    static final int QUEUE = 1000;
    static final int IN_FLIGHT = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Map<String, NotifySettings>> targets;
    private final Function<String, Optional<String>> loopTypes;
    private final DeliveryLog log = new DeliveryLog();
    private final ArrayDeque<Offered> queue = new ArrayDeque<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final HttpClient http;
    private final Sender sender;
    private final Consumer<Delivery> failed;
    private volatile boolean closed;
    private Thread dispatcher;

    /** An event as offered, with the time it was offered (a loop event's {@code at}). */
    private record Offered(TaskdEvent event, String name, Instant at) {
    }

    /**
     * @param targets     the webhooks of the generation in force, read per event
     * @param loopTypes   a loop's type by id, for {@code types} filters on events that do not name it;
     *                    called on the dispatcher thread
     * @param environment reads {@code secret-env} variables ({@code System::getenv})
     * @param failed      told of each delivery that failed for good, for the log
     */
    public Notifier(Supplier<Map<String, NotifySettings>> targets, Function<String, Optional<String>> loopTypes,
                    Function<String, String> environment, Consumer<Delivery> failed) {
        this.targets = targets;
        this.loopTypes = loopTypes;
        this.failed = failed;
        this.http = HttpClient.newBuilder().connectTimeout(Sender.CONNECT_TIMEOUT)
                .executor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("notify-http-")))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new Sender(http, environment, log);
    }

    public synchronized void start() {
        dispatcher = Threads.startVirtual("notify-dispatcher", this::dispatch);
    }

    /** Queues {@code event} when some webhook wants its kind; never blocks, whatever the receivers do. */
    public void offer(TaskdEvent event) {
        Optional<String> name = NotifyNames.of(event);
        if (name.isEmpty() || closed) {
            return;
        }
        if (targets.get().values().stream().noneMatch(target -> target.events().contains(name.get()))) {
            return;
        }
        synchronized (queue) {
            if (queue.size() >= QUEUE) {
                queue.removeFirst();
                log.dropped();
            }
            queue.addLast(new Offered(event, name.get(), Instant.now()));
            queue.notifyAll();
        }
    }

    public DeliveryLog log() {
        return log;
    }

    private void dispatch() {
        while (!closed) {
            Offered next;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = queue.removeFirst();
            }
            try {
                deliver(next);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug in building one event's body must not stop the deliveries of the rest.
                failed.accept(new Delivery(UUID.randomUUID().toString(), "", next.name(), "", "", next.at(),
                        Delivery.State.FAILED, 0, 0, String.valueOf(e), 0));
            }
        }
    }

    private void deliver(Offered offered) throws InterruptedException {
        String loopId = NotifyNames.loopOf(offered.event());
        String type = NotifyNames.typeOf(offered.event());
        if (type == null && loopId != null && targets.get().values().stream().anyMatch(t -> !t.types().isEmpty())) {
            type = loopTypes.apply(loopId).orElse(null);
        }
        byte[] body = body(offered);
        for (NotifySettings target : targets.get().values()) {
            if (!target.wants(offered.name(), type)) {
                continue;
            }
            Delivery delivery = new Delivery(UUID.randomUUID().toString(), target.name(), offered.name(),
                    loopId == null ? "" : loopId, target.shownUrl(), Instant.now(), Delivery.State.PENDING, 0, 0, "", 0);
            log.put(delivery);
            inFlight.acquire();
            Threads.startVirtual("notify-" + target.name(), () -> {
                try {
                    Delivery done = sender.send(target, delivery, body, () -> closed);
                    if (done.state() == Delivery.State.FAILED) {
                        failed.accept(done);
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private static byte[] body(Offered offered) {
        try {
            return JSON.writeValueAsString(EventJson.data(offered.event(), offered.at()).orElseThrow())
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }

    /** Stops taking events; deliveries under way end at their next attempt. */
    @Override
    public void close() {
        closed = true;
        synchronized (queue) {
            queue.clear();
            queue.notifyAll();
        }
        http.shutdownNow();
    }

}
