package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain-socket exchange of {@code http://} addresses, against a scripted server on a loopback port. */
class PlainHttpTest {

    private static final String STATUS = "{\"version\":\"0.1.0\",\"uptime_seconds\":3725,\"generation\":3,"
            + "\"drift\":false,\"pending\":null,\"draining\":false,\"loops\":{\"queued\":2,\"running\":1,\"succeeded\":12},"
            + "\"limits\":{\"max_loops\":1000,\"drain_timeout\":\"30s\",\"per_type\":{\"ralph\":20}}}";

    private Scripted server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyByContentLengthIsReadAndTheRequestSaysWhoAndWhat() throws Exception {
        server = new Scripted(ok("Content-Length: " + STATUS.length() + "\r\n\r\n" + STATUS));

        HttpExchange.Answer answer = new HttpExchange(server.url(), " secret ").send("GET", "/status", null, Map.of());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).isEqualTo(STATUS);
        String request = server.requests.get(0);
        assertThat(request).startsWith("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
                .contains("\r\nAccept: application/json\r\n", "\r\nUser-Agent: taskd-cli/",
                        "\r\nAuthorization: Bearer secret\r\n", "\r\nConnection: close\r\n")
                .doesNotContain("Content-Length").endsWith("\r\n\r\n");
    }

    @Test
    void aChunkedBodyWithExtensionsAndTrailersAfterAnInterimAnswerIsReadWhole() throws Exception {
        server = new Scripted("HTTP/1.1 100 Continue\r\n\r\n" + ok("Transfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\n{\"a\":\r\n" + "3\r\n1}\n\r\n" + "0\r\nX-Trailer: 1\r\n\r\n"));

        HttpExchange.Answer answer = new HttpExchange(server.url(), null).send("GET", "/status", null, Map.of());

        assertThat(answer.text()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void aBodyUpToTheCloseAndARefusalWithItsStatusAreRead() throws Exception {
        server = new Scripted("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n"
                + "{\"error\":\"not_found\",\"message\":\"no loop 'x'\"}");

        HttpExchange.Answer answer = new HttpExchange(server.url(), null).send("GET", "/loops/x", null, Map.of());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(HttpExchange.refusal("GET", "/loops/x", answer)).hasMessage("no loop 'x'");
    }

    @Test
    void aPostSendsItsBodyWithItsLengthAndType() throws Exception {
        server = new Scripted(ok("Content-Length: 2\r\n\r\n{}"));

        new HttpExchange(server.url(), null).send("POST", "/loops", "{\"type\":\"é\"}", Map.of("Idempotency-Key", "k1"));

        assertThat(server.requests.get(0)).startsWith("POST /v1/loops HTTP/1.1\r\n")
                .contains("\r\nIdempotency-Key: k1\r\n", "\r\nContent-Type: application/json\r\n",
                        "\r\nContent-Length: 13\r\n")
                .endsWith("\r\n\r\n{\"type\":\"é\"}");
    }

    @Test
    void aGetClosedBeforeAnyAnswerIsTriedOnceMore() throws Exception {
        server = new Scripted("", ok("Content-Length: 2\r\n\r\n{}"));

        HttpExchange.Answer answer = new HttpExchange(server.url(), null).send("GET", "/status", null, Map.of());

        assertThat(answer.text()).isEqualTo("{}");
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void brokenAnswersAreInputOutputErrorsNamingTheRequest() throws Exception {
        server = new Scripted("", "", ok("Content-Length: 10\r\n\r\n{}"), "SSH-2.0-OpenSSH_9.6\r\n");
        HttpExchange http = new HttpExchange(server.url(), null);

        assertThatThrownBy(() -> http.send("GET", "/status", null, Map.of())).isInstanceOf(ApiError.class)
                .hasMessage("GET /status at " + server.url() + " failed: Unexpected end of file from server");
        assertThatThrownBy(() -> http.send("GET", "/status", null, Map.of())).isInstanceOf(ApiError.class)
                .hasMessage("GET /status at " + server.url() + " failed: the connection closed after 2 of 10 bytes");
        assertThatThrownBy(() -> http.send("GET", "/status", null, Map.of())).isInstanceOf(ApiError.class)
                .hasMessage("GET /status at " + server.url() + " failed: the answer is not HTTP: SSH-2.0-OpenSSH_9.6");
    }

    @Test
    void aHeaderWithALineBreakIsRefusedWithoutSendingOrEchoingIt() throws Exception {
        server = new Scripted();

        assertThatThrownBy(() -> new HttpExchange(server.url(), "abc\r\nX-Evil: 1").send("GET", "/status", null, Map.of()))
                .isInstanceOf(ApiError.class).hasMessageContaining("Authorization").hasMessageNotContaining("abc");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void noDaemonIsExitThreeWithTheSameLineAsBefore() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = FastPath.run(new String[] {"status", "--url", "http://127.0.0.1:" + port},
                new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err).hasToString("taskd: no daemon answered at http://127.0.0.1:" + port
                + ": connection refused; start one with './taskd start' or pass --url" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void statusPrintsTheSameTextAndJsonOverEitherBodyFraming() throws Exception {
        String chunked = ok("Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(STATUS.length()) + "\r\n" + STATUS
                + "\r\n0\r\n\r\n");
        String byLength = ok("Content-Length: " + STATUS.length() + "\r\n\r\n" + STATUS);
        server = new Scripted(byLength, chunked, byLength, chunked);
        String text = "taskd 0.1.0, up 1h 2m, generation 3\nloops: 2 queued, 1 running, 12 succeeded\n"
                + "limits: max-loops 1000, drain-timeout 30s, per-type {\"ralph\":20}\n";

        for (String framing : List.of("length", "chunked")) {
            assertThat(status(false)).as(framing).isEqualTo(text.replace("\n", System.lineSeparator()));
        }
        for (String framing : List.of("length", "chunked")) {
            assertThat(status(true)).as(framing)
                    .isEqualTo(JsonText.pretty(JsonText.parse(STATUS)) + System.lineSeparator());
        }
    }

    private String status(boolean json) {
        StringWriter out = new StringWriter();
        String[] args = json ? new String[] {"status", "--json", "--url", server.url()}
                : new String[] {"status", "--url", server.url()};
        assertThat(FastPath.run(args, new PrintWriter(out), new PrintWriter(new StringWriter()))).isZero();
        return out.toString();
    }

    private static String ok(String rest) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + rest;
    }

    /** Answers the n-th connection with the n-th script, as bytes, then closes it; "" closes without a byte. */
    private static final class Scripted extends Thread implements AutoCloseable {

        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;
        private final List<String> scripts;

        Scripted(String... scripts) throws IOException {
            this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            this.scripts = List.of(scripts);
            setDaemon(true);
            start();
        }

        int port() {
            return socket.getLocalPort();
        }

        String url() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        public void run() {
            for (String script : scripts) {
                try (Socket connection = socket.accept()) {
                    requests.add(request(connection.getInputStream()));
                    connection.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** The request's head and, by its Content-Length, its body. */
        private static String request(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                bytes.write(b);
                String head = bytes.toString(StandardCharsets.UTF_8);
                if (head.endsWith("\r\n\r\n")) {
                    int at = head.indexOf("Content-Length: ");
                    if (at >= 0) {
                        int length = Integer.parseInt(head.substring(at + 16, head.indexOf('\r', at)));
                        bytes.write(in.readNBytes(length));
                    }
                    break;
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
