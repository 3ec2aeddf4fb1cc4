package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful stop of the real daemon: drain, refusals while draining, the drain timeout, restart. */
class DrainEndToEndTest {

    @TempDir
    Path home;

    @Test
    void sigtermLetsRunningIterationsFinishRefusesNewWorkAndEverythingContinuesAfterARestart() throws Exception {
        // Each iteration runs until the test creates the file release: the drain cannot end before
        // the test has seen it refuse work, however busy the machine.
        Path release = home.resolve("release");
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-processes = 64\ndrain-timeout = \"30s\"\n")
                .file("loop-types/two.toml", "command = \"until [ -e '%s' ]; do sleep 0.5; done; exit 1\"\n".formatted(release)
                        + "max-iterations = 3\ndelay = \"0s\"\n")
                .start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(daemon.submit("two", "{}", 0));
            }
            DaemonProcess.await(Duration.ofSeconds(60), "50 loops running",
                    () -> running(daemon) == 50);

            long signalled = System.nanoTime();
            daemon.signal("TERM");
            DaemonProcess.await(Duration.ofSeconds(20), "readiness to turn 503", () -> daemon.statusOf("/v1/ready") == 503);
            HttpResponse<String> refused = daemon.post("/v1/loops", "{\"type\":\"two\"}");
            Files.writeString(release, "");
            int exit = daemon.awaitExit(Duration.ofSeconds(60));
            Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("\"error\":\"draining\"");
            assertThat(exit).isZero();
            assertThat(stopping).as("the drain ends when the iterations do, before its timeout").isLessThan(Duration.ofSeconds(30));
            assertThat(daemon.logText()).contains("\"event\":\"drain_completed\"")
                    .contains("\"finished\":50,").contains("\"interrupted\":0,");

            daemon.start();
            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(60), "failed");
                List<String> outcomes = new ArrayList<>();
                daemon.json("/v1/loops/" + id + "/iterations").get("iterations")
                        .forEach(iteration -> outcomes.add(iteration.get("outcome").asText()));
                assertThat(outcomes).as("iterations of " + id).containsExactly("failed", "failed", "failed");
            }
        }
    }

    @Test
    void anIterationStillRunningAtTheDrainTimeoutIsInterruptedKilledAndResumedAfterARestart() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\ndrain-timeout = \"2s\"\n")
                .file("loop-types/long.toml", "command = \"echo $$ > pid; exec sleep 60\"\nmax-iterations = 3\n")
                .start()) {
            String id = daemon.submit("long", "{}", 0);
            Path pid = Path.of(daemon.json("/v1/loops/" + id).get("workdir").asText(), "pid");
            DaemonProcess.await(Duration.ofSeconds(20), "the command to start",
                    () -> Files.exists(pid) && !read(pid).isBlank());
            long process = Long.parseLong(read(pid).trim());

            long signalled = System.nanoTime();
            daemon.signal("TERM");
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
            Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);

            // At the 2 s timeout, not when the 60 s command would end; the upper bound allows a busy machine.
            assertThat(stopping).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(20));
            assertThat(ProcessHandle.of(process).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            daemon.start();
            JsonNode first = daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0);
            assertThat(first.get("outcome").asText()).isEqualTo("interrupted");
            DaemonProcess.await(Duration.ofSeconds(20), "the loop to run again", () -> iterationStarted(daemon, id));
        }
    }

    @Test
    void taskdStopShowsTheDrainAndReturnsWhenTheDaemonHasExited() throws Exception {
        Path release = home.resolve("release");
        try (DaemonProcess daemon = new DaemonProcess(home, "")
                .file("loop-types/short.toml", "command = \"until [ -e '%s' ]; do sleep 0.2; done\"\nmax-iterations = 1\n"
                        .formatted(release)).start()) {
            daemon.submit("short", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "a loop running", () -> running(daemon) == 1);

            Path out = home.resolve("stop.txt");
            Process stop = Cli.command(home, List.of("stop", "--url", "http://127.0.0.1:" + daemon.port))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            DaemonProcess.await(Duration.ofSeconds(60), "taskd stop to show the drain", () -> read(out).contains("draining"));
            assertThat(stop.isAlive()).as("taskd stop returns only when the daemon has exited").isTrue();
            Files.writeString(release, "");

            assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stop.exitValue()).as(read(out)).isZero();
            assertThat(read(out)).contains("draining: 1 running").endsWith("stopped\n");
            assertThat(daemon.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    private static int running(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/status").get("loops").get("running").asInt();
        } catch (Exception e) {
            return -1;
        }
    }


    private static boolean iterationStarted(DaemonProcess daemon, String id) {
        try {
            JsonNode loop = daemon.json("/v1/loops/" + id);
            return loop.get("state").asText().equals("running") && loop.get("iterations").asInt() == 1;
        } catch (Exception e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
