package dev.taskd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real daemon as a child process — {@code taskd start} in its own JVM on a free loopback
 * port — and an HTTP client to talk to it, as a user would. Each test gets its own directory:
 * config, loop types, data. Everything it starts is killed when it is closed.
 */
final class DaemonProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED = Path.of("..").toAbsolutePath().normalize();

    final Path home;
    final Path config;
    final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Path> logs = new ArrayList<>();
    private final List<String> startArguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;

    /**
     * @param extraConfig TOML added to the generated taskd.toml (tables other than [daemon] and [loops])
     */
    DaemonProcess(Path home, String extraConfig) throws IOException {
        this.home = home;
        this.port = freePort();
        Files.createDirectories(home.resolve("loop-types"));
        Files.createDirectories(home.resolve("templates"));
        this.config = home.resolve("taskd.toml");
        Files.writeString(config, """
                [daemon]
                listen = "127.0.0.1:%d"
                data-dir = "data"

                [loops]
                paths = ["%s", "loop-types"]

                [templates]
                paths = ["%s", "templates"]

                %s
                """.formatted(port, SHIPPED.resolve("loop-types"), SHIPPED.resolve("templates"), extraConfig));
    }

    /** Writes a file under the daemon's directory ({@code loop-types/x.toml}). */
    DaemonProcess file(String relative, String content) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    /** Adds arguments to every later {@code taskd start} ({@code --log-format text}). */
    DaemonProcess withArguments(String... arguments) {
        startArguments.addAll(List.of(arguments));
        return this;
    }

    /** Sets an environment variable for every later {@code taskd start} ({@code NOTIFY_SOCKET}). */
    DaemonProcess withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code taskd start} and waits until {@code /v1/ready} answers 200. */
    DaemonProcess start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * As {@link #start()}, with the daemon leading a session and process group of its own
     * ({@code setsid}), as a terminal's foreground job does: {@link #signalGroup} then reaches
     * the daemon and whatever shares its group, never the test's JVM.
     */
    DaemonProcess startInOwnSession() throws IOException, InterruptedException {
        return start(true);
    }

    private DaemonProcess start(boolean ownSession) throws IOException, InterruptedException {
        Path log = home.resolve("daemon-" + logs.size() + ".log");
        logs.add(log);
        List<String> arguments = new ArrayList<>(List.of("start", "--config", config.toString()));
        arguments.addAll(startArguments);
        ProcessBuilder command = Cli.command(home, arguments);
        if (ownSession) {
            // Not a group leader when the JVM starts it, so setsid execs in place: same pid.
            command.command().addFirst("setsid");
        }
        command.environment().putAll(environment);
        process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await(Duration.ofSeconds(60), "the daemon to be ready", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the daemon exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                return get("/v1/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, null);
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, null);
    }

    HttpResponse<String> send(String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code head} (request line and headers, and perhaps the start of a body) on a raw
     * socket and returns all the daemon answers until it closes or 10 s pass. For requests the
     * HTTP client will not send, such as one whose body is refused before it is sent.
     */
    String raw(String head) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = socket.getInputStream().read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, read);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // What arrived before the timeout or reset is the answer.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** GETs {@code path} and parses the JSON answer, which must be 200. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Submits a loop; returns its id. */
    String submit(String type, String inputsJson, int priority) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/v1/loops",
                "{\"type\":\"" + type + "\",\"inputs\":" + inputsJson + ",\"priority\":" + priority + "}");
        if (response.statusCode() != 201) {
            throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    String state(String loopId) throws IOException, InterruptedException {
        return json("/v1/loops/" + loopId).get("state").asText();
    }

    /** Waits until the loop's state is one of {@code states}. */
    void awaitState(String loopId, Duration limit, String... states) throws IOException, InterruptedException {
        await(limit, "loop " + loopId + " to be " + String.join(" or ", states), () -> {
            try {
                return List.of(states).contains(state(loopId));
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** The audit entries {@code GET /v1/audit?...} answers; {@code query} starts with {@code ?} or is "". */
    List<JsonNode> audit(String query) {
        try {
            List<JsonNode> entries = new ArrayList<>();
            json("/v1/audit" + query).get("entries").forEach(entries::add);
            return entries;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The status code of {@code GET path}, or -1 when the daemon does not answer (for polling). */
    int statusOf(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends a signal to the daemon process ({@code TERM}, {@code KILL}). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** Sends a signal to the daemon's whole process group, as a terminal's Ctrl+C does ({@code INT}). */
    void signalGroup(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, "--", "-" + process.pid()).start().waitFor();
    }

    /** The daemon process's pid. */
    long pid() {
        return process.pid();
    }

    /** Waits for the process to exit; its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the daemon did not exit within " + limit);
        }
        return process.exitValue();
    }

    String logText() {
        StringBuilder text = new StringBuilder();
        for (Path log : logs) {
            try {
                text.append(Files.readString(log));
            } catch (IOException e) {
                text.append("(cannot read ").append(log).append(")\n");
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + limit + " for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
