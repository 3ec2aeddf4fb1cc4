package dev.taskd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code taskd status-training} (hidden, not a picocli command): the workload the launcher records
 * the start-up cache of {@code taskd status} from. It runs the {@link FastPath} as a plain
 * {@code taskd status} runs it, text and {@code --json}, against a stand-in for the daemon on a
 * free loopback port in this JVM (one answer by Content-Length, one chunked, as Helidon sends
 * them), then once against that port closed. So the cache holds what {@code status} loads and
 * little else — a cache recorded from the daemon's training holds thousands of classes and made
 * {@code status} slower than no cache at all — and recording it needs no daemon and no
 * configuration. Nothing is printed; the exit code is 0 when every run printed what it should.
 */
final class StatusTraining {

    static final String COMMAND = "status-training";

    /** A status as the daemon answers it, with every member {@code taskd status} prints. */
    private static final String STATUS = "{\"version\":\"0.1.0\",\"uptime_seconds\":3725,\"generation\":3,"
            + "\"config_hash\":\"edd1f73a2569bff3dbc9846247141cc016b38832a8f68b25c95aa9336c9e9b14\",\"drift\":false,"
            + "\"reload_apply\":\"auto\",\"pending\":null,\"draining\":false,\"loops\":{\"queued\":2,\"running\":1,"
            + "\"paused\":0,\"blocked\":0,\"succeeded\":12,\"failed\":1,\"cancelled\":0},\"limits\":{\"max_loops\":1000,"
            + "\"max_queued\":100000,\"max_processes\":16,\"max_api_calls\":8,\"api_calls_per_minute\":120,"
            + "\"drain_timeout\":\"30s\",\"per_type\":{\"ralph\":20}},\"running\":1,\"queued\":2,\"storage\":"
            + "{\"writable\":true,\"free_bytes\":82873528320,\"since\":\"2026-12-01T18:04:41.500699479Z\",\"reason\":null}}";

    private StatusTraining() {
    }

    /** Runs the workload; 0 when the status printed twice and the closed port was reported unreachable. */
    static int run() {
        PrintWriter out = FastPath.writer(OutputStream.nullOutputStream(), "sun.stdout.encoding");
        PrintWriter err = FastPath.writer(OutputStream.nullOutputStream(), "sun.stderr.encoding");
        String url;
        int text;
        int json;
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            url = "http://127.0.0.1:" + server.getLocalPort();
            StandIn standIn = new StandIn(server);
            standIn.start();
            text = FastPath.run(new String[] {"status", "--url", url}, out, err);
            json = FastPath.run(new String[] {"status", "--json", "--url", url}, out, err);
        } catch (IOException e) {
            return ExitCode.FAILURE;
        }
        int closed = FastPath.run(new String[] {"status", "--url", url}, out, err);
        return text == ExitCode.OK && json == ExitCode.OK && closed == ExitCode.UNREACHABLE ? ExitCode.OK : ExitCode.FAILURE;
    }

    /** The daemon's stand-in: answers each connection's request with {@link #STATUS}, by length, then chunked. */
    private static final class StandIn extends Thread {

        private final ServerSocket server;

        StandIn(ServerSocket server) {
            super("status-training");
            this.server = server;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] body = STATUS.getBytes(StandardCharsets.UTF_8);
            for (int answer = 0; answer < 2; answer++) {
                try (Socket socket = server.accept()) {
                    skipRequest(socket.getInputStream());
                    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + (answer == 0 ? "Content-Length: " + body.length + "\r\n\r\n"
                                    : "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n");
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    if (answer == 1) {
                        out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException e) {
                    return;   // the client then fails, and so does the training
                }
            }
        }

        /** Reads up to the blank line that ends the request's head (a GET has no body). */
        private static void skipRequest(InputStream in) throws IOException {
            int matched = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                matched = b == '\n' ? matched + 1 : b == '\r' ? matched : 0;
                if (matched == 2) {
                    return;
                }
            }
        }
    }
}
