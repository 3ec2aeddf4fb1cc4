package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.loop.LoopEvents;
import dev.taskd.reload.PendingPlan;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadJson;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code GET /v1/events}: server-sent events of reloads ({@code reload}) and loop lifecycle
 * ({@code loop}). Each client has a bounded queue; a client that falls behind by more than it
 * holds loses events (the next one it gets says how many), and cannot slow anything else.
 * A comment line every 15 s keeps idle connections open through proxies.
 */
public final class EventStream implements HttpService, LoopEvents, Consumer<ReloadEvent> {

    private static final int CLIENT_QUEUE = 1024;

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private record Client(BlockingQueue<SseEvent> queue, AtomicLong dropped) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", this::stream).any("/events", Allow.only("GET"));
    }

    @Override
    public void emit(String event, String loopId, Map<String, Object> fields) {
        ObjectNode data = ApiJson.object().put("event", event).put("loop_id", loopId);
        fields.forEach((name, value) -> data.put(name, String.valueOf(value)));
        publish("loop", ApiJson.write(data));
    }

    @Override
    public void accept(ReloadEvent event) {
        publish("reload", ApiJson.write(ReloadJson.event(event)));
    }

    /** Manual apply mode: a change was noticed and planned, not applied ({@code plan} events). */
    public void plan(PendingPlan pending) {
        publish("plan", ApiJson.write(ReloadJson.pending(pending)));
    }

    /** Ends every stream; clients see the connection close. */
    public void close() {
        closed = true;
    }

    private void publish(String name, String data) {
        SseEvent event = SseEvent.builder().id(Long.toString(ids.incrementAndGet())).name(name).data(data).build();
        for (Client client : clients) {
            if (!client.queue().offer(event)) {
                client.dropped().incrementAndGet();
            }
        }
    }

    private void stream(ServerRequest request, ServerResponse response) {
        Client client = new Client(new ArrayBlockingQueue<>(CLIENT_QUEUE), new AtomicLong());
        clients.add(client);
        try (SseSink sink = response.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("taskd events").build());
            while (!closed) {
                SseEvent next = client.queue().poll(15, TimeUnit.SECONDS);
                long dropped = client.dropped().getAndSet(0);
                if (dropped > 0) {
                    sink.emit(SseEvent.builder().name("dropped").data("{\"dropped\":" + dropped + "}").build());
                }
                sink.emit(next != null ? next : SseEvent.builder().comment("keep-alive").build());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The client went away; its queue goes with it.
        } finally {
            clients.remove(client);
        }
    }
}
