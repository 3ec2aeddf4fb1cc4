package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon with its data dir on a small tmpfs that fills up and then gets space back:
 * refusals while full, loops that pause rather than fail, and everything resuming without a
 * restart. Mounting needs root; elsewhere the test is skipped with the reason printed.
 */
class DiskFullEndToEndTest {

    @TempDir
    Path home;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    @Test
    void aFullDiskRefusesNewWorkPausesRunningLoopsAndEverythingResumesOnceSpaceIsBack() throws Exception {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        String why = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", data.toString());
        if (why != null) {
            System.out.println("DiskFullEndToEndTest skipped: it needs a small file system to fill, and " + why);
        }
        assumeTrue(why == null, why);
        mounted = data;

        try (DaemonProcess daemon = new DaemonProcess(home, "")
                .file("loop-types/steps.toml", """
                        command = "echo iteration {{iteration}}; test {{iteration}} -ge 8"
                        max-iterations = 20
                        delay = "400ms"
                        """)
                .start()) {
            String running = daemon.submit("steps", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(10), "the loop's first iteration",
                    () -> iterations(daemon, running) >= 1);

            fill(data.resolve("filler"));
            DaemonProcess.await(Duration.ofSeconds(5), "readiness to turn 503", () -> daemon.statusOf("/v1/ready") == 503);

            HttpResponse<String> submission = daemon.post("/v1/loops", "{\"type\":\"steps\"}");
            assertThat(submission.statusCode()).isEqualTo(507);
            assertThat(submission.body()).contains("\"error\":\"insufficient_storage\"")
                    .contains(data.toString()).contains("bytes free");
            HttpResponse<String> reload = daemon.post("/v1/reload", null);
            assertThat(reload.statusCode()).isEqualTo(507);
            assertThat(reload.body()).contains(data.toString());
            HttpResponse<String> ready = daemon.get("/v1/ready");
            assertThat(ready.body()).contains("storage_unwritable");
            JsonNode storage = daemon.json("/v1/status").get("storage");
            assertThat(storage.get("writable").asBoolean()).isFalse();
            assertThat(storage.get("reason").asText()).isNotBlank();
            assertThat(storage.get("free_bytes").asLong()).isLessThan(1024 * 1024);
            long generation = daemon.json("/v1/status").get("generation").asLong();

            Thread.sleep(2000);
            int pausedAt = iterations(daemon, running);
            assertThat(daemon.state(running)).isEqualTo("running");
            Thread.sleep(1000);
            assertThat(daemon.state(running)).isEqualTo("running");
            assertThat(iterations(daemon, running)).as("no iteration is recorded while the disk is full")
                    .isEqualTo(pausedAt);

            Files.delete(data.resolve("filler"));
            long freed = System.nanoTime();
            DaemonProcess.await(Duration.ofSeconds(5), "readiness to return", () -> daemon.statusOf("/v1/ready") == 200);
            Duration back = Duration.ofNanos(System.nanoTime() - freed);
            String after = daemon.submit("steps", "{}", 0);

            daemon.awaitState(running, Duration.ofSeconds(30), "succeeded", "failed", "cancelled");
            daemon.awaitState(after, Duration.ofSeconds(30), "succeeded", "failed", "cancelled");
            assertThat(back).isLessThan(Duration.ofSeconds(4));
            assertThat(daemon.state(running)).isEqualTo("succeeded");
            assertThat(daemon.state(after)).isEqualTo("succeeded");
            List<Integer> numbers = new ArrayList<>();
            daemon.json("/v1/loops/" + running + "/iterations").get("iterations")
                    .forEach(iteration -> numbers.add(iteration.get("number").asInt()));
            assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(daemon.json("/v1/status").get("storage").get("writable").asBoolean()).isTrue();
            assertThat(daemon.json("/v1/status").get("generation").asLong()).isEqualTo(generation);

            String metrics = daemon.get("/metrics").body();
            assertThat(metrics).contains("taskd_storage_writable 1.0")
                    .contains("taskd_storage_transitions_total{to=\"unwritable\"} 1.0")
                    .contains("taskd_storage_transitions_total{to=\"writable\"} 1.0");
            assertThat(daemon.logText()).contains("\"event\":\"storage_unwritable\"")
                    .contains("\"event\":\"storage_writable\"")
                    .contains("\"data_dir\":\"" + data + "\"");
        }
    }

    private static int iterations(DaemonProcess daemon, String id) {
        try {
            return daemon.json("/v1/loops/" + id).get("iterations").asInt();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Writes {@code file} until the file system has no space left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    /** Runs a command; null when it succeeded, else what went wrong. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command[0] + " cannot run: " + e.getMessage();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return command[0] + " did not finish within 10 s";
        }
        String output = new String(process.getInputStream().readAllBytes()).strip();
        return process.exitValue() == 0 ? null
                : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
    }
}
