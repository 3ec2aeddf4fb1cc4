package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.api.ApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/loops} against the real daemon, with a token: {@code Idempotency-Key} (a repeat
 * answers the first loop, across a restart too; another body is a 409; concurrent repeats make
 * one loop), unknown fields, and a client whose body stalls. The stalled clients are opened when
 * the class starts and checked by the last test, so their deadline runs while the others do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubmissionsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token";
    private static final String BODY = "{\"type\":\"retry-command\",\"inputs\":{\"command\":\"true\",\"check\":\"true\"}}";

    @TempDir
    static Path home;

    private static DaemonProcess daemon;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<Stalled> stalled = new ArrayList<>();

    /** A client that sent its headers and part of its body, and when. */
    private record Stalled(Socket socket, long opened) {
    }

    @BeforeAll
    static void startDaemonAndStallBodies() throws Exception {
        daemon = new DaemonProcess(home, "[auth]\ntoken-file = \"tokens\"\n").file("tokens", TOKEN + "\n").start();
        for (int i = 0; i < 3; i++) {
            Socket socket = new Socket("127.0.0.1", daemon.port);
            socket.getOutputStream().write(("POST /v1/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":\"r")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            stalled.add(new Stalled(socket, System.nanoTime()));
        }
    }

    @AfterAll
    static void stopDaemon() throws IOException {
        for (Stalled client : stalled) {
            client.socket().close();
        }
        daemon.close();
    }

    @Test
    @Order(1)
    void aRepeatWithTheSameKeyAndBodyAnswersTheFirstLoop() throws Exception {
        int before = loopCount();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = submit(BODY, key);
        HttpResponse<String> again = submit("{ \"inputs\": {\"check\":\"true\", \"command\":\"true\"},"
                + " \"priority\": 0, \"type\": \"retry-command\" }", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String id = id(first);
        assertThat(id(again)).isEqualTo(id);
        assertThat(loopCount()).isEqualTo(before + 1);
    }

    /** Last: the restart closes every connection, the stalled ones too. */
    @Test
    @Order(200)
    void aKeyIsKeptAcrossARestart() throws Exception {
        String key = UUID.randomUUID().toString();
        String id = id(submit(BODY, key));
        int before = loopCount();

        daemon.signal("TERM");
        assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
        daemon.start();
        HttpResponse<String> afterRestart = submit(BODY, key);

        assertThat(afterRestart.statusCode()).isEqualTo(201);
        assertThat(id(afterRestart)).isEqualTo(id);
        assertThat(loopCount()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void theSameKeyWithAnotherBodyIsA409NamingTheKey() throws Exception {
        String key = "order-" + UUID.randomUUID();
        String id = id(submit(BODY, key));
        HttpResponse<String> other = submit(BODY.replace("\"check\":\"true\"", "\"check\":\"false\""), key);

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(message(other)).contains("Idempotency-Key '" + key + "'", id, "new key");
    }

    @Test
    @Order(3)
    void sixteenConcurrentIdenticalRequestsMakeOneLoop() throws Exception {
        int before = loopCount();
        String key = UUID.randomUUID().toString();
        CountDownLatch go = new CountDownLatch(1);
        Set<String> ids = new HashSet<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return submit(BODY, key);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(201);
                ids.add(id(answer.get()));
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(loopCount()).isEqualTo(before + 1);
    }

    @Test
    @Order(4)
    void aKeyTooLongOrWithSpacesIsA400AndMakesNoLoop() throws Exception {
        int before = loopCount();
        HttpResponse<String> tooLong = submit(BODY, "k".repeat(256));
        HttpResponse<String> spaced = submit(BODY, "two words");
        HttpResponse<String> longest = submit(BODY, "k".repeat(255));

        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(message(tooLong)).contains("Idempotency-Key", "256 characters", "at most 255");
        assertThat(spaced.statusCode()).isEqualTo(400);
        assertThat(message(spaced)).contains("Idempotency-Key", "U+0020");
        assertThat(longest.statusCode()).isEqualTo(201);
        assertThat(loopCount()).isEqualTo(before + 1);
    }

    @Test
    @Order(5)
    void anUnknownFieldIsA400NamingItWithDidYouMean() throws Exception {
        int before = loopCount();
        HttpResponse<String> misspelt = submit("{\"type\":\"retry-command\",\"priorty\":5}", null);
        HttpResponse<String> unknown = submit("{\"type\":\"retry-command\",\"colour\":\"red\"}", null);

        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(message(misspelt)).isEqualTo("unknown field 'priorty' in the submission; did you mean 'priority'?");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(message(unknown)).contains("unknown field 'colour'", "type, inputs, priority, after");
        assertThat(loopCount()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void aSlowButCompleteBodyIsAccepted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", daemon.port)) {
            socket.setSoTimeout(20_000);
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /v1/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body, 0, 10);
            socket.getOutputStream().flush();
            Thread.sleep(1_000); // the pause is the point: a body that arrives in parts, in time
            socket.getOutputStream().write(body, 10, body.length - 10);
            socket.getOutputStream().flush();

            byte[] answer = new byte[12];
            int read = socket.getInputStream().readNBytes(answer, 0, answer.length);
            assertThat(new String(answer, 0, read, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 201");
        }
    }

    @Test
    @Order(100)
    void aBodyThatStallsHasItsConnectionClosedWithinTheBodyTimeout() throws Exception {
        long limit = ApiServer.REQUEST_BODY_TIMEOUT.plusSeconds(15).toNanos();
        for (Stalled client : stalled) {
            client.socket().setSoTimeout((int) Math.max(1, (limit - (System.nanoTime() - client.opened())) / 1_000_000));
            InputStream in = client.socket().getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever it answers before closing (a 408, or nothing)
                }
            } catch (SocketException reset) {
                // closed by the daemon
            }
            long took = System.nanoTime() - client.opened();
            assertThat(Duration.ofNanos(took)).isLessThan(ApiServer.REQUEST_BODY_TIMEOUT.plusSeconds(15))
                    .isGreaterThan(ApiServer.REQUEST_BODY_TIMEOUT.minusSeconds(5));
        }
        assertThat(daemon.statusOf("/v1/health")).isEqualTo(200);
    }

    private static HttpResponse<String> submit(String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port + "/v1/loops"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int loopCount() throws IOException, InterruptedException {
        HttpResponse<String> response = daemon.send("GET", "/v1/loops?limit=1000", null, TOKEN);
        return JSON.readTree(response.body()).get("loops").size();
    }

    private static String id(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static String message(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        return body.path("message").asText();
    }
}
