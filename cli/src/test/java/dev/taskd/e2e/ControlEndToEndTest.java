package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control and admission rules of the real daemon: pause, resume, dependencies, limits, tokens, signals. */
class ControlEndToEndTest {

    /** Iterations of about half a second, ten of them, so there is time to act on a running loop. */
    private static final String SLOW = """
            command = "sleep 0.5"
            max-iterations = 10
            delay = "0s"

            [validation]
            command = "false"
            """;
    private static final String QUICK = """
            command = "true"
            max-iterations = 1
            """;

    @TempDir
    Path home;

    @Test
    void pauseStopsAfterTheCurrentIterationAndResumeContinuesTheCount() throws Exception {
        try (DaemonProcess daemon = daemon("").start()) {
            String id = daemon.submit("slow", "{}", 0);
            daemon.awaitState(id, Duration.ofSeconds(20), "running");

            HttpResponse<String> paused = daemon.post("/v1/loops/" + id + "/pause?now=true", "");
            int done = daemon.json("/v1/loops/" + id).get("iterations").asInt();
            Thread.sleep(1200);

            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(daemon.state(id)).isEqualTo("paused");
            assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt()).isEqualTo(done);

            assertThat(daemon.post("/v1/loops/" + id + "/resume", "").statusCode()).isEqualTo(200);
            daemon.awaitState(id, Duration.ofSeconds(30), "failed");
            assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt()).isEqualTo(10);
            assertThat(daemon.post("/v1/loops/" + id + "/resume", "").statusCode()).isEqualTo(409);
        }
    }

    @Test
    void aLoopRunsAfterItsDependencySucceedsAndFailsWhenItFails() throws Exception {
        try (DaemonProcess daemon = daemon("").start()) {
            String first = daemon.submit("quick", "{}", 0);
            String failing = daemon.submit("never", "{}", 0);
            String afterFirst = submitAfter(daemon, "quick", first);
            String afterFailing = submitAfter(daemon, "quick", failing);

            daemon.awaitState(afterFirst, Duration.ofSeconds(30), "succeeded");
            daemon.awaitState(afterFailing, Duration.ofSeconds(30), "failed");

            Instant firstEnded = Instant.parse(daemon.json("/v1/loops/" + first).get("updated_at").asText());
            Instant dependantStarted = Instant.parse(daemon.json("/v1/loops/" + afterFirst + "/iterations")
                    .get("iterations").get(0).get("started_at").asText());
            assertThat(dependantStarted).isAfterOrEqualTo(firstEnded);
            assertThat(daemon.json("/v1/loops/" + afterFailing).get("reason").asText())
                    .isEqualTo("dependency " + failing + " failed");
            assertThat(daemon.json("/v1/loops/" + afterFailing).get("iterations").asInt()).isZero();
        }
    }

    @Test
    void perTypeLimitAndMaxQueuedAreEnforced() throws Exception {
        try (DaemonProcess daemon = daemon("[limits]\nmax-queued = 3\nper-type = { slow = 1 }\n").start()) {
            String running = daemon.submit("slow", "{}", 0);
            daemon.awaitState(running, Duration.ofSeconds(20), "running");
            for (int i = 0; i < 3; i++) {
                daemon.submit("slow", "{}", 0);
            }

            HttpResponse<String> refused = daemon.post("/v1/loops", "{\"type\":\"slow\"}");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("queue_full").contains("limits.max-queued");
            assertThat(daemon.json("/v1/status").get("loops").get("running").asInt()).isEqualTo(1);
        }
    }

    @Test
    void withATokenEveryEndpointButHealthAndReadyNeedsIt() throws Exception {
        try (DaemonProcess daemon = daemon("[auth]\ntoken-file = \"tokens\"\n").file("tokens", "# ops\ns3cret\n")
                .start()) {
            assertThat(daemon.send("GET", "/v1/status", null, null).statusCode()).isEqualTo(401);
            assertThat(daemon.send("GET", "/v1/status", null, "wrong").statusCode()).isEqualTo(401);
            assertThat(daemon.send("GET", "/v1/status", null, "s3cret").statusCode()).isEqualTo(200);
            assertThat(daemon.send("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
            assertThat(daemon.send("GET", "/v1/ready", null, null).statusCode()).isEqualTo(200);
            assertThat(daemon.send("GET", "/v1/status", null, null).body()).contains("\"error\":\"unauthorized\"");
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedWithItsFindingsAndExitFour() throws Exception {
        DaemonProcess daemon = daemon("[limits]\nmax-loop = 3\n");
        Path log = home.resolve("refused.log");
        Process start = Cli.command(home, List.of("start", "--config", daemon.config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(start.exitValue()).isEqualTo(4);
        assertThat(Files.readString(log)).contains("taskd.toml:").contains(
                "unknown key 'limits.max-loop'; did you mean 'limits.max-loops'?");
    }

    @Test
    void sigtermStopsTheDaemonCleanlyAndTheLoopsResumeOnTheNextStart() throws Exception {
        try (DaemonProcess daemon = daemon("").start()) {
            String id = daemon.submit("slow", "{}", 0);
            daemon.awaitState(id, Duration.ofSeconds(20), "running");

            daemon.signal("TERM");

            assertThat(daemon.awaitExit(Duration.ofSeconds(20))).isZero();
            daemon.start();
            daemon.awaitState(id, Duration.ofSeconds(60), "failed");
            assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt()).isEqualTo(10);
            assertThat(daemon.logText()).contains("\"event\":\"daemon_stopped\"");
        }
    }

    private DaemonProcess daemon(String extraConfig) throws Exception {
        return new DaemonProcess(home, extraConfig)
                .file("loop-types/slow.toml", SLOW)
                .file("loop-types/quick.toml", QUICK)
                .file("loop-types/never.toml", "command = \"false\"\nmax-iterations = 1\n");
    }

    private static String submitAfter(DaemonProcess daemon, String type, String dependency) throws Exception {
        HttpResponse<String> response = daemon.post("/v1/loops",
                "{\"type\":\"" + type + "\",\"after\":[\"" + dependency + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asText();
    }
}
