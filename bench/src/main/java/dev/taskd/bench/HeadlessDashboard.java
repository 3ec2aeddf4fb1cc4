package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The daemon's dashboard open in a real browser: Debian's Chromium, headless, showing
 * {@code http://127.0.0.1:PORT/} as a person's tab would, its scripts running and its event
 * stream open. The benchmark only asks it, over the DevTools protocol, whether the page's stream
 * is live ({@code #live}'s {@code data-state}); the page does the rest by itself. Closing it
 * kills the browser and deletes its profile.
 */
final class HeadlessDashboard implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("taskd.chromium", "/usr/bin/chromium"));
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Process browser;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private HeadlessDashboard(Process browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    /** Opens the dashboard of the daemon at {@code base} and waits until its event stream is live. */
    static HeadlessDashboard open(String base, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: apt-get install chromium (or set -Dtaskd.chromium)");
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-");
        Process browser = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, base + "/")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        HeadlessDashboard dashboard = new HeadlessDashboard(browser, profile);
        try {
            dashboard.awaitLive();
        } catch (IOException | RuntimeException | InterruptedException e) {
            dashboard.close();
            throw e;
        }
        return dashboard;
    }

    /** Waits until the page says its event stream is live. */
    private void awaitLive() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            if (!browser.isAlive()) {
                throw new IllegalStateException("chromium exited with " + browser.exitValue() + "; its log:\n"
                        + Files.readString(profile.resolve("chromium.log")));
            }
            String socket = pageSocket();
            if (socket != null) {
                state = evaluate(socket, "document.getElementById('live')?.dataset.state ?? ''");
                if (state.equals("live")) {
                    return;
                }
            }
            Bench.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the dashboard's event stream was not live after " + WAIT.toSeconds()
                + " s (indicator: '" + state + "')");
    }

    /** The DevTools socket of the dashboard's tab, once the browser has one. */
    private String pageSocket() throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        if (!Files.exists(portFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(portFile);
        if (lines.isEmpty() || lines.getFirst().isBlank()) {
            return null;
        }
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + lines.getFirst().strip() + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : DaemonHttp.JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page")) {
                return target.path("webSocketDebuggerUrl").asText();
            }
        }
        return null;
    }

    /** Evaluates {@code expression} in the page; its value as text, "" when the page did not answer. */
    private String evaluate(String socketUrl, String expression) throws InterruptedException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = null;
        try {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(socketUrl), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        answer.complete(text.toString());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            String request = DaemonHttp.JSON.createObjectNode().put("id", 1).put("method", "Runtime.evaluate")
                    .set("params", DaemonHttp.JSON.createObjectNode().put("expression", expression)
                            .put("returnByValue", true)).toString();
            socket.sendText(request, true).get(10, TimeUnit.SECONDS);
            JsonNode reply = DaemonHttp.JSON.readTree(answer.get(10, TimeUnit.SECONDS));
            return reply.path("result").path("result").path("value").asText();
        } catch (ExecutionException | TimeoutException | IOException e) {
            return "";
        } finally {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    /**
     * CPU time (user + system) the browser's processes have used so far, in seconds; those that
     * ended meanwhile are not counted.
     */
    double cpuSeconds() {
        double total = 0;
        for (ProcessHandle process : Stream.concat(Stream.of(browser.toHandle()),
                browser.descendants()).toList()) {
            try {
                total += BenchDaemon.cpuSecondsOf(process.pid());
            } catch (IOException ended) {
                // gone between the listing and the read
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        browser.descendants().forEach(ProcessHandle::destroyForcibly);
        browser.destroyForcibly();
        browser.waitFor(10, TimeUnit.SECONDS);
        BenchDaemon.deleteTree(profile);
    }
}
