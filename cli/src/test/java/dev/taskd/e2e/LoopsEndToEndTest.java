package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Loops run by the real daemon, driven over HTTP: the shipped types, timeouts, cancel, the sandbox. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopsEndToEndTest {

    private DaemonProcess daemon;

    @BeforeAll
    void startDaemon(@TempDir Path home) throws Exception {
        daemon = new DaemonProcess(home, "")
                .file("loop-types/spin.toml", """
                        script = "spin.js"
                        iteration-timeout = "1s"
                        max-iterations = 2
                        delay = "0s"
                        """)
                .file("loop-types/spin.js", "export function iterate(ctx) { while (true) {} }\n")
                .file("loop-types/escape.toml", """
                        script = "escape.js"
                        max-iterations = 1
                        inputs = ["how"]
                        """)
                .file("loop-types/escape.js", """
                        export function iterate(ctx) {
                          if (ctx.input("how") === "fs") ctx.state.read = ctx.fs.read("../../etc/passwd");
                          if (ctx.input("how") === "java") ctx.state.read = Java.type("java.lang.System").getenv();
                        }
                        """)
                .start();
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void helloCountsToItsInputInThreeIterationsAndSucceeds() throws Exception {
        String id = daemon.submit("hello", "{\"count\":\"3\"}", 0);

        daemon.awaitState(id, Duration.ofSeconds(30), "succeeded");

        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(loop.get("iterations").asInt()).isEqualTo(3);
        assertThat(loop.get("data").get("counted").asInt()).isEqualTo(3);
        assertThat(outcomes(id)).containsExactly("continued", "continued", "completed");
    }

    @Test
    void retryCommandRunsARealCommandUntilItsValidationPasses() throws Exception {
        String id = daemon.submit("retry-command",
                "{\"command\":\"echo run >> runs.txt\",\"check\":\"test $(wc -l < runs.txt) -ge 2\"}", 0);

        daemon.awaitState(id, Duration.ofSeconds(30), "succeeded");

        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(Files.readAllLines(Path.of(loop.get("workdir").asText(), "runs.txt"))).hasSize(2);
        assertThat(outcomes(id)).containsExactly("failed", "passed");
        JsonNode first = daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0);
        assertThat(first.get("validation_exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void cancelStopsASleepingCommandAndKillsItWithinASecond() throws Exception {
        String id = daemon.submit("retry-command",
                "{\"command\":\"echo $$ > pid; exec sleep 60\",\"check\":\"true\"}", 0);
        JsonNode loop = daemon.json("/v1/loops/" + id);
        Path pidFile = Path.of(loop.get("workdir").asText(), "pid");
        DaemonProcess.await(Duration.ofSeconds(20), "the command to start", () -> Files.exists(pidFile)
                && !read(pidFile).isBlank());
        long pid = Long.parseLong(read(pidFile).trim());

        long started = System.nanoTime();
        HttpResponse<String> cancel = daemon.delete("/v1/loops/" + id);
        DaemonProcess.await(Duration.ofSeconds(1), "sleep 60 to be gone",
                () -> ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true) || zombie(pid));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(cancel.body()).contains("\"state\":\"cancelled\"");
    }

    @Test
    void aScriptThatLoopsForeverIsStoppedByTheIterationTimeout() throws Exception {
        String id = daemon.submit("spin", "{}", 0);

        daemon.awaitState(id, Duration.ofSeconds(30), "failed");

        assertThat(outcomes(id)).containsExactly("timed_out", "timed_out");
        assertThat(daemon.json("/v1/loops/" + id).get("reason").asText()).contains("max-iterations (2)");
    }

    @Test
    void aScriptCannotReadOutsideItsWorkdirNorReachJavaAndTheDaemonGoesOn() throws Exception {
        String viaFs = daemon.submit("escape", "{\"how\":\"fs\"}", 0);
        String viaJava = daemon.submit("escape", "{\"how\":\"java\"}", 0);
        daemon.awaitState(viaFs, Duration.ofSeconds(30), "failed");
        daemon.awaitState(viaJava, Duration.ofSeconds(30), "failed");

        JsonNode fs = daemon.json("/v1/loops/" + viaFs + "/iterations").get("iterations").get(0);
        JsonNode java = daemon.json("/v1/loops/" + viaJava + "/iterations").get("iterations").get(0);
        assertThat(fs.get("outcome").asText()).isEqualTo("error");
        assertThat(fs.get("error").asText()).contains("escape.js:2").contains("leaves the work dir");
        assertThat(java.get("outcome").asText()).isEqualTo("error");
        assertThat(java.get("error").asText()).contains("host class java.lang.System is not allowed");
        assertThat(daemon.json("/v1/loops/" + viaFs).get("data").has("read")).isFalse();
        assertThat(daemon.get("/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void badSubmissionsAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> unknownType = daemon.post("/v1/loops", "{\"type\":\"helo\"}");
        HttpResponse<String> missingInput = daemon.post("/v1/loops", "{\"type\":\"retry-command\",\"inputs\":{}}");
        HttpResponse<String> notJson = daemon.post("/v1/loops", "{\"type\":");
        String tooLarge = daemon.raw("POST /v1/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n{");
        HttpResponse<String> unknownLoop = daemon.get("/v1/loops/01NOSUCHLOOP");

        assertThat(unknownType.statusCode()).isEqualTo(404);
        assertThat(unknownType.body()).contains("no loop type 'helo'; did you mean 'hello'?");
        assertThat(missingInput.statusCode()).isEqualTo(400);
        assertThat(missingInput.body()).contains("needs input 'command'");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(tooLarge).startsWith("HTTP/1.1 413").contains("\"error\":\"too_large\"");
        assertThat(unknownLoop.statusCode()).isEqualTo(404);
    }

    @Test
    void loopTypesAndStatusDescribeTheRunningDaemon() throws Exception {
        JsonNode types = daemon.json("/v1/loop-types");
        JsonNode hello = daemon.json("/v1/loop-types/hello");
        JsonNode status = daemon.json("/v1/status");

        List<String> names = new ArrayList<>();
        types.get("loop_types").forEach(type -> names.add(type.get("name").asText()));
        assertThat(names).contains("hello", "ralph", "retry-command", "spin");
        assertThat(hello.get("version").asText()).hasSize(64);
        assertThat(hello.get("inputs").get(0).get("name").asText()).isEqualTo("count");
        assertThat(status.get("generation").asLong()).isEqualTo(1);
        assertThat(status.get("limits").get("max_loops").asInt()).isEqualTo(1000);
    }

    private List<String> outcomes(String id) throws Exception {
        List<String> outcomes = new ArrayList<>();
        daemon.json("/v1/loops/" + id + "/iterations").get("iterations")
                .forEach(iteration -> outcomes.add(iteration.get("outcome").asText()));
        return outcomes;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean zombie(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.isEmpty() || stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }
}
