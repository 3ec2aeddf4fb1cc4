package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code taskd run}'s submission: one key for every attempt, retried only when that is safe. */
class IdempotentPostTest {

    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a503IsSentAgainWithTheSameKeyAndTheLoopItFinallyMadeIsAnswered() throws Exception {
        DaemonClient client = daemonAnswering(503, 503, 201);

        IdempotentPost post = new IdempotentPost(client, pauses::add);
        String id = post.post("/loops", DaemonClient.JSON.createObjectNode().put("type", "hello")).get("id").asText();

        assertThat(id).isEqualTo("01LOOP");
        assertThat(keys).hasSize(3).containsOnly(post.key());
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aRefusalIsFinalAndTriedOnce() throws Exception {
        DaemonClient client = daemonAnswering(400, 201);

        assertThatThrownBy(() -> new IdempotentPost(client, pauses::add).post("/loops",
                DaemonClient.JSON.createObjectNode())).isInstanceOf(ApiError.class);
        assertThat(keys).hasSize(1);
    }

    @Test
    void afterThreeAttemptsTheLastFailureIsReported() throws Exception {
        DaemonClient client = daemonAnswering(503, 503, 503, 201);

        assertThatThrownBy(() -> new IdempotentPost(client, pauses::add).post("/loops",
                DaemonClient.JSON.createObjectNode())).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(503));
        assertThat(keys).hasSize(IdempotentPost.ATTEMPTS);
    }

    /** A fake daemon that answers POST /v1/loops with these statuses in turn, noting each key. */
    private DaemonClient daemonAnswering(int... statuses) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/loops", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.getRequestBody().readAllBytes();
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            byte[] body = (status == 201 ? "{\"id\":\"01LOOP\",\"type\":\"hello\"}"
                    : "{\"error\":\"draining\",\"message\":\"m\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new DaemonClient("http://127.0.0.1:" + server.getAddress().getPort(), null);
    }
}
