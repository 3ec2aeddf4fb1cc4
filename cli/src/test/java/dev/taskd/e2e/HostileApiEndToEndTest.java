package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.api.ApiServer;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.LoadResult;
import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API under hostile input, against the real daemon on 127.0.0.1: malformed, deeply
 * nested and mistyped JSON, oversized bodies and headers, unknown methods, odd ids, clients that
 * never finish a request, wrong tokens, and the listen address. Every refusal is the JSON error
 * shape with the right status, and the daemon stays healthy after each.
 *
 * <p>One daemon without a token serves the tests that do not interfere; slow clients are opened
 * when the class starts, and the last test waits for the server to have closed them, so the
 * idle timeout runs while the other tests do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileApiEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED_CONFIG = Path.of("..", "config", "taskd.toml").toAbsolutePath().normalize();

    @TempDir
    static Path shared;

    @TempDir
    Path home;

    private static DaemonProcess daemon;
    private static List<SlowClient> slowClients;

    /** A client that sent part of a request and nothing more, and when it did. */
    private record SlowClient(Socket socket, long opened) {

        static SlowClient open(int port, String partial) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new SlowClient(socket, System.nanoTime());
        }
    }

    @BeforeAll
    static void startDaemonAndOpenSlowClients() throws Exception {
        daemon = new DaemonProcess(shared, "").start();
        slowClients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slowClients.add(SlowClient.open(daemon.port, ""));
            slowClients.add(SlowClient.open(daemon.port, "GET /v1/sta"));
            slowClients.add(SlowClient.open(daemon.port, "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1"));
        }
    }

    @AfterAll
    static void stopDaemon() throws IOException {
        for (SlowClient client : slowClients) {
            client.socket().close();
        }
        daemon.close();
    }

    @Test
    @Order(1)
    void malformedAndDeeplyNestedJsonIsA400AndTheDaemonStaysHealthy() throws Exception {
        List<String> bodies = List.of("", "{", "{\"type\":", "{\"type\":}", "nul", "[1,2", "{'type':'hello'}",
                "{\"type\":\"hello\",}", "{\"type\":\"hello\"} {\"type\":\"hello\"}", "{\"type\":\"hello\"} trailing",
                "\u0000", "\"hello\"", "42", "[]", "\uFEFF\uFFFE{}", "{\"type\":\"hello\",\"inputs\":{\"a\":\"\\uD800\"",
                "[".repeat(100_000), "{\"a\":".repeat(50_000), "{\"type\":\"hello\",\"inputs\":" + "[".repeat(100_000));

        for (String body : bodies) {
            HttpResponse<String> response = daemon.post("/v1/loops", body);
            assertError(response, 400, "bad_request", abbreviate(body));
        }
        assertHealthy();
        assertThat(daemon.json("/v1/loops").get("loops")).as("nothing was submitted").isEmpty();
    }

    @Test
    @Order(2)
    void wrongTypesInASubmissionAreA400NamingTheField() throws Exception {
        Map<String, String> bodies = Map.of(
                "'type'", "{\"type\":42}",
                "'inputs'", "{\"type\":\"hello\",\"inputs\":[\"a\"]}",
                "'priority'", "{\"type\":\"hello\",\"priority\":\"high\"}",
                "'after'", "{\"type\":\"hello\",\"after\":{\"id\":\"x\"}}",
                "input 'name'", "{\"type\":\"hello\",\"inputs\":{\"name\":{\"nested\":1}}}");
        List<String> priorities = List.of("3.5", "1e10", "99999999999999999999", "true", "[1]");

        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> response = daemon.post("/v1/loops", body.getValue());
            assertError(response, 400, "bad_request", body.getValue());
            assertThat(message(response)).as(body.getValue()).contains(body.getKey());
        }
        for (String priority : priorities) {
            HttpResponse<String> response = daemon.post("/v1/loops", "{\"type\":\"hello\",\"priority\":" + priority + "}");
            assertError(response, 400, "bad_request", priority);
            assertThat(message(response)).contains("'priority'");
        }
    }

    @Test
    @Order(3)
    void aBodyOverOneMebibyteIsA413WhetherDeclaredOrChunked() throws Exception {
        String declared = daemon.raw("POST /v1/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (64 * 1024 * 1024) + "\r\n\r\n{");
        String chunked = exchange("POST /v1/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", 3 * 1024 * 1024);

        assertThat(declared).startsWith("HTTP/1.1 413").contains("application/json").contains("\"error\":\"too_large\"");
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"error\":\"too_large\"");
        assertHealthy();
    }

    @Test
    @Order(4)
    void hugeHeadersAndRequestLinesAreRefusedWithA4xxNotAHang() throws Exception {
        String hugeHeader = daemon.raw("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                + "a".repeat(100 * 1024) + "\r\n\r\n");
        String manyHeaders = daemon.raw("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-A: b\r\n".repeat(20_000) + "\r\n");
        String hugeLine = daemon.raw("GET /v1/loops/" + "A".repeat(100 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        for (String answer : List.of(hugeHeader, manyHeaders, hugeLine)) {
            assertThat(answer).matches("(?s)HTTP/1\\.1 (431|400|414) .*").contains("\"error\":");
        }
        assertHealthy();
    }

    @Test
    @Order(5)
    void unknownMethodsOnKnownPathsAreA405WithAllow() throws Exception {
        record Case(String method, String path, String allow) {
        }
        List<Case> cases = List.of(new Case("PUT", "/v1/loops", "GET, POST"),
                new Case("PATCH", "/v1/status", "GET"),
                new Case("DELETE", "/v1/status", "GET"),
                new Case("POST", "/v1/health", "GET"),
                new Case("PUT", "/v1/loops/01ANYTHING", "GET, DELETE"),
                new Case("GET", "/v1/loops/01ANYTHING/pause", "POST"),
                new Case("DELETE", "/v1/reload", "POST"),
                new Case("PUT", "/v1/loop-types/hello", "GET"));

        for (Case c : cases) {
            HttpResponse<String> response = daemon.send(c.method(), c.path(), c.method().equals("GET") ? null : "{}", null);
            assertError(response, 405, "method_not_allowed", c.method() + " " + c.path());
            assertThat(response.headers().firstValue("Allow")).as(c.method() + " " + c.path()).hasValue(c.allow());
        }
        assertError(daemon.get("/v1/no-such-thing"), 404, "not_found", "an unknown path");
        assertError(daemon.send("BREW", "/v1/status", null, null), 405, "method_not_allowed", "BREW");
        assertHealthy();
    }

    @Test
    @Order(6)
    void oddLoopIdsAreA400Or404AndNeverReadAFile() throws Exception {
        List<String> ids = List.of("..%2F..%2F..%2F..%2Fetc%2Fpasswd", "..%2f..%2fetc%2fpasswd", "%2E%2E", "%00",
                "%25", "%5F", "a%00b", "%C0%AE%C0%AE%2F", "%FF%FE", "'%20OR%201=1--", "%0D%0ASet-Cookie:x=y",
                "A".repeat(2000), "..%5C..%5Cwindows");
        List<String> suffixes = List.of("", "/iterations");

        for (String id : ids) {
            for (String suffix : suffixes) {
                String path = "/v1/loops/" + id + suffix;
                HttpResponse<String> response = daemon.get(path);
                assertThat(response.statusCode()).as(path).isIn(400, 404);
                assertThat(JSON.readTree(response.body()).get("error").asText()).as(path).isIn("bad_request", "not_found");
                assertThat(response.body()).doesNotContain("root:");
                assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
            }
            assertThat(daemon.delete("/v1/loops/" + id).statusCode()).as("DELETE " + id).isIn(400, 404);
            assertThat(daemon.post("/v1/loops/" + id + "/pause", "").statusCode()).as("pause " + id).isIn(400, 404);
        }
        String literal = exchange("GET /v1/loops/../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 0);
        HttpResponse<String> type = daemon.get("/v1/loop-types/..%2F..%2Fetc%2Fpasswd");

        assertThat(literal).matches("(?s)HTTP/1\\.1 40[04] .*").doesNotContain("root:");
        assertThat(type.statusCode()).isIn(400, 404);
        assertThat(type.body()).doesNotContain("root:");
        assertHealthy();
    }

    @Test
    @Order(7)
    void withATokenMissingAndWrongAre401AndTheRightOneIs200() throws Exception {
        try (DaemonProcess guarded = new DaemonProcess(home, "[auth]\ntoken-file = \"tokens\"\n")
                .file("tokens", "# ops\n" + TOKEN + "\n").start()) {
            for (String wrong : Arrays.asList(null, "", "wrong", TOKEN + "x", TOKEN.substring(1), TOKEN.toUpperCase())) {
                HttpResponse<String> response = guarded.send("GET", "/v1/status", null, wrong);
                assertError(response, 401, "unauthorized", "token " + wrong);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
            assertError(guarded.send("PUT", "/v1/loops", "{}", null), 401, "unauthorized", "PUT without a token");
            assertThat(guarded.send("GET", "/v1/status", null, TOKEN).statusCode()).isEqualTo(200);
            assertThat(guarded.send("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
        }
    }

    /**
     * Tokens are compared as SHA-256 digests with {@code MessageDigest.isEqual}, so where a wrong
     * token first differs cannot show in the time of the answer. Interleaving the two kinds of
     * request spreads any drift in the machine's speed evenly over both.
     */
    @Test
    @Order(8)
    void aWrongFirstCharacterAndAWrongLastCharacterTakeTheSameTime() throws Exception {
        try (DaemonProcess guarded = new DaemonProcess(home, "[auth]\ntoken-file = \"tokens\"\n")
                .file("tokens", TOKEN + "\n").start()) {
            String wrongFirst = "X" + TOKEN.substring(1);
            String wrongLast = TOKEN.substring(0, TOKEN.length() - 1) + "X";
            for (int i = 0; i < 100; i++) {
                guarded.send("GET", "/v1/status", null, i % 2 == 0 ? wrongFirst : wrongLast);
            }
            long[] first = new long[300];
            long[] last = new long[300];
            for (int i = 0; i < 300; i++) {
                first[i] = timed(guarded, wrongFirst);
                last[i] = timed(guarded, wrongLast);
            }

            long medianFirst = median(first);
            long medianLast = median(last);
            long bound = Math.max(TimeUnit.MILLISECONDS.toNanos(2), Math.max(medianFirst, medianLast) / 5);
            assertThat(Math.abs(medianFirst - medianLast))
                    .as("medians %d ns (wrong first) and %d ns (wrong last)", medianFirst, medianLast)
                    .isLessThan(bound);
        }
    }

    @Test
    @Order(9)
    void theShippedConfigListensOnLoopbackAndAPublicAddressNeedsAToken() throws Exception {
        LoadResult shipped = new ConfigLoader(SHIPPED_CONFIG.getParent(), new GraalScriptCheck()).load(SHIPPED_CONFIG);
        assertThat(shipped.valid()).as(shipped.findings().toString()).isTrue();
        assertThat(shipped.snapshot().orElseThrow().config().daemon().listen()).startsWith("127.0.0.1:");

        Files.createDirectories(home.resolve("loop-types"));
        Files.createDirectories(home.resolve("templates"));
        String publicAddress = "[daemon]\nlisten = \"0.0.0.0:0\"\ndata-dir = \"data\"\n"
                + "[loops]\npaths = [\"loop-types\"]\n[templates]\npaths = [\"templates\"]\n";
        Files.writeString(home.resolve("public.toml"), publicAddress);
        Files.writeString(home.resolve("comments-only.toml"), publicAddress + "[auth]\ntoken-file = \"no-tokens\"\n");
        Files.writeString(home.resolve("no-tokens"), "# nobody yet\n\n");

        Start open = startAndWait("public.toml", Map.of());
        Start blankEnvironment = startAndWait("public.toml", Map.of("TASKD_TOKEN", "  "));
        Start noTokensInFile = startAndWait("comments-only.toml", Map.of());

        // Every load checks the tokens, as validate and every reload do: an invalid configuration, exit 4.
        assertThat(open.exit()).as(open.output()).isEqualTo(4);
        assertThat(open.output()).contains("no API token").contains("listen on 127.0.0.1");
        assertThat(blankEnvironment.exit()).as(blankEnvironment.output()).isEqualTo(4);
        assertThat(blankEnvironment.output()).contains("no API token");
        assertThat(noTokensInFile.exit()).as(noTokensInFile.output()).isEqualTo(4);
        assertThat(noTokensInFile.output()).contains("auth.token-file names").contains("no-tokens, which holds no token");
    }

    /**
     * The clients opened when the class started sent nothing, half a request line, or a request
     * line and half its headers, and nothing more; the daemon served every other test meanwhile
     * and closes them once they have been idle for {@link ApiServer#IDLE_CONNECTION_TIMEOUT}, or
     * once {@link ApiServer#REQUEST_HEAD_TIMEOUT} passed after their request line.
     */
    @Test
    @Order(10)
    void clientsThatNeverFinishTheirRequestLineAreClosedAndOthersAreServedMeanwhile() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(daemon.get("/v1/status").statusCode()).isEqualTo(200);
        }

        Duration limit = max(ApiServer.IDLE_CONNECTION_TIMEOUT.plus(ApiServer.IDLE_CHECK_PERIOD),
                ApiServer.REQUEST_HEAD_TIMEOUT).plusSeconds(5);
        for (SlowClient client : slowClients) {
            long left = client.opened() + limit.toNanos() - System.nanoTime();
            client.socket().setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            assertThat(closedByServer(client.socket())).as("closed within " + limit).isTrue();
        }
        assertHealthy();
    }

    private static final String TOKEN = "s3cret-0123456789abcdef0123456789abcdef";

    private record Start(int exit, String output) {
    }

    private Start startAndWait(String config, Map<String, String> environment) throws Exception {
        Path log = home.resolve(config + environment.size() + ".log");
        ProcessBuilder command = Cli.command(home, List.of("start", "--config", home.resolve(config).toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().putAll(environment);
        Process start = command.start();
        try {
            if (!start.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("taskd start with " + config + " is still running:\n" + Files.readString(log));
            }
            return new Start(start.exitValue(), Files.readString(log));
        } finally {
            start.descendants().forEach(ProcessHandle::destroyForcibly);
            start.destroyForcibly();
        }
    }

    /** True when the server closed the socket (end of stream or reset) before its read timeout. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a 408 or similar answer before the close is fine
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /**
     * Sends {@code head} and then, if {@code size} is not 0, a chunked body of about that many
     * bytes from another thread, while this one reads the answer up to the end of its JSON body:
     * the daemon may refuse the body long before it is all sent, and keeps the connection open
     * after answering.
     */
    private static String exchange(String head, int size) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", daemon.port)) {
            socket.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    var out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    byte[] chunk = ("[" + "1,".repeat(8191) + "1]").getBytes(StandardCharsets.ISO_8859_1);
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    if (size > 0) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException e) {
                    // The daemon refused the rest of the body and closed the connection.
                }
            });
            var answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = socket.getInputStream().read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, read);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("}\n")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | SocketException e) {
                // What arrived is the answer.
            }
            writer.join(10_000);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static long timed(DaemonProcess guarded, String token) throws Exception {
        long started = System.nanoTime();
        int status = guarded.send("GET", "/v1/status", null, token).statusCode();
        long took = System.nanoTime() - started;
        assertThat(status).isEqualTo(401);
        return took;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String what)
            throws IOException {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).as(what).isEqualTo(code);
        assertThat(error.get("message").asText()).as(what).isNotBlank();
    }

    private static String message(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("message").asText();
    }

    private static void assertHealthy() throws Exception {
        assertThat(daemon.get("/v1/health").statusCode()).isEqualTo(200);
        assertThat(daemon.get("/v1/status").statusCode()).isEqualTo(200);
    }

    private static String abbreviate(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "... (" + body.length() + " chars)" : body;
    }
}
