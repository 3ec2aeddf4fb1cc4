package dev.taskd.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.taskd.config.NotifySettings;
import dev.taskd.event.TaskdEvent;
import dev.taskd.loop.LoopEvent;
import dev.taskd.store.LoopState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The notifier against a real local HTTP server: signatures, retries, the types filter, a full queue. */
class NotifierTest {

    private HttpServer server;
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                bodies.add(new String(body, StandardCharsets.UTF_8));
                signatures.add(exchange.getRequestHeaders().getFirst("X-Taskd-Signature"));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDeliveryIsSignedAndRetriedUntilTheReceiverTakesIt() throws Exception {
        failuresLeft.set(1);
        try (Notifier notifier = notifier(target(List.of("loop.failed"), List.of(), "KEY"), Map.of("KEY", "k"))) {
            notifier.start();
            notifier.offer(finished("01J0000000000000000000000A", LoopState.FAILED));
            notifier.offer(finished("01J0000000000000000000000B", LoopState.SUCCEEDED));
            awaitDeliveries(notifier, 1);
            assertThat(bodies).hasSize(1);
            assertThat(bodies.getFirst()).contains("\"event\":\"loop_finished\"", "\"state\":\"failed\"");
            assertThat(signatures.getFirst()).isEqualTo(Signature.of("k".getBytes(StandardCharsets.UTF_8),
                    bodies.getFirst().getBytes(StandardCharsets.UTF_8)));
            Delivery delivery = notifier.log().view(null, 10).deliveries().getFirst();
            assertThat(delivery.attempts()).isEqualTo(2);
            assertThat(delivery.status()).isEqualTo(200);
        }
    }

    @Test
    void anUnsetKeyFailsTheDeliveryRatherThanSendingItUnsigned() throws Exception {
        try (Notifier notifier = notifier(target(List.of("loop.failed"), List.of(), "MISSING"), Map.of())) {
            notifier.start();
            notifier.offer(finished("01J0000000000000000000000A", LoopState.FAILED));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (notifier.log().view(null, 1).failed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(notifier.log().view(null, 1).deliveries().getFirst().error())
                    .contains("environment variable MISSING (notify.hook.secret-env) is not set");
            assertThat(bodies).isEmpty();
        }
    }

    @Test
    void theTypesFilterLooksUpTheLoopsType() throws Exception {
        try (Notifier notifier = notifier(target(List.of("loop.succeeded"), List.of("fix"), ""), Map.of())) {
            notifier.start();
            notifier.offer(finished("01J000000000000000000000FX", LoopState.SUCCEEDED));
            notifier.offer(finished("01J000000000000000000000OT", LoopState.SUCCEEDED));
            awaitDeliveries(notifier, 1);
            Thread.sleep(200);
            assertThat(bodies).hasSize(1);
            assertThat(bodies.getFirst()).contains("01J000000000000000000000FX");
            assertThat(signatures.getFirst()).isNull();
        }
    }

    @Test
    void aFullQueueDropsItsOldestEventsAndCountsThem() {
        try (Notifier notifier = notifier(target(List.of("loop.failed"), List.of(), ""), Map.of())) {
            long started = System.nanoTime();
            for (int i = 0; i < Notifier.QUEUE + 5; i++) {
                notifier.offer(finished("01J0000000000000000000000A", LoopState.FAILED));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("offering never waits").isLessThan(Duration.ofSeconds(2));
            assertThat(notifier.log().view(null, 1).dropped()).isEqualTo(5);
        }
    }

    private Notifier notifier(NotifySettings target, Map<String, String> environment) {
        return new Notifier(() -> Map.of(target.name(), target),
                loopId -> Optional.of(loopId.endsWith("FX") ? "fix" : "other"), environment::get, failed -> { });
    }

    private NotifySettings target(List<String> events, List<String> types, String secretEnv) {
        return new NotifySettings("hook", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                events, types, secretEnv);
    }

    private static TaskdEvent finished(String loopId, LoopState state) {
        return new TaskdEvent.Loop(new LoopEvent.Finished(loopId, state, ""));
    }

    private static void awaitDeliveries(Notifier notifier, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (notifier.log().view(null, 1).delivered() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(notifier.log().view(null, 1).delivered()).isEqualTo(count);
    }
}
