package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What editors, deployment tools and impatient operators do to the files of a running daemon:
 * every case ends on the last good configuration, and the audit log says what happened.
 */
class HardeningFilesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUICK = "command = \"true\"\nmax-iterations = %d\n";

    @TempDir
    Path home;

    @Test
    void aTruncateThenWriteWithAPauseNeverAppliesTheEmptyFile() throws Exception {
        try (DaemonProcess daemon = daemon().start()) {
            Path type = home.resolve("loop-types/quick.toml");
            Files.write(type, new byte[0]);
            DaemonProcess.await(Duration.ofSeconds(10), "the empty file to be rejected",
                    () -> !daemon.audit("?result=rejected").isEmpty());
            assertThat(maxIterations(daemon)).isEqualTo(1);

            Files.writeString(type, QUICK.formatted(7));
            DaemonProcess.await(Duration.ofSeconds(10), "the full file to apply", () -> maxIterations(daemon) == 7);
            // The generation is visible a moment before its audit entry is written: wait for the entry.
            DaemonProcess.await(Duration.ofSeconds(10), "the applied entry", () -> daemon.audit("?result=applied").size() == 1);
            assertThat(daemon.audit("?result=rejected").getFirst().get("findings").get(0).get("text").asText())
                    .startsWith("loop-types/quick.toml:1:1: loop type 'quick' has no action");
        }
    }

    @Test
    void aSyntaxErrorThenItsFixTurnsTheSuccessGaugeDownAndUpAgain() throws Exception {
        try (DaemonProcess daemon = daemon().start()) {
            Path type = home.resolve("loop-types/quick.toml");
            Files.writeString(type, "command = \"true\nmax-iterations = 2\n");
            DaemonProcess.await(Duration.ofSeconds(10), "the gauge to drop", () -> gauge(daemon) == 0);

            Files.writeString(type, QUICK.formatted(2));
            DaemonProcess.await(Duration.ofSeconds(10), "the gauge to recover", () -> gauge(daemon) == 1);
            assertThat(maxIterations(daemon)).isEqualTo(2);
        }
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsApplyAndATenMegabyteFileIsRefusedBySize() throws Exception {
        try (DaemonProcess daemon = daemon().start()) {
            Files.write(home.resolve("loop-types/quick.toml"),
                    ("\uFEFF" + QUICK.formatted(3).replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8));
            DaemonProcess.await(Duration.ofSeconds(10), "the BOM file to apply", () -> maxIterations(daemon) == 3);

            Files.writeString(home.resolve("loop-types/huge.toml"), "description = \"" + "x".repeat(10 << 20) + "\"\n");
            DaemonProcess.await(Duration.ofSeconds(15), "the huge file to be refused",
                    () -> daemon.audit("?result=rejected").stream().anyMatch(entry ->
                            entry.toString().contains("sources are limited to 1048576 bytes")));
            assertThat(maxIterations(daemon)).isEqualTo(3);
            assertThat(daemon.get("/v1/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDeletedDirectoryKeepsTheLastGoodGenerationAndIsReattachedWhenItReturns() throws Exception {
        try (DaemonProcess daemon = daemon().start()) {
            Path types = home.resolve("loop-types");
            Path away = home.resolve("loop-types.away");
            Files.move(types, away, StandardCopyOption.ATOMIC_MOVE);
            DaemonProcess.await(Duration.ofSeconds(15), "the missing directory to be reported",
                    () -> daemon.audit("?result=rejected").stream().anyMatch(entry ->
                            entry.toString().contains("which is not a directory")));
            assertThat(maxIterations(daemon)).isEqualTo(1);

            Files.move(away, types, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(types.resolve("quick.toml"), QUICK.formatted(5));
            DaemonProcess.await(Duration.ofSeconds(15), "the directory to be watched again",
                    () -> maxIterations(daemon) == 5);
        }
    }

    @Test
    void aHundredConcurrentReloadsAreAllAnsweredAndNoChangeIsLost() throws Exception {
        Path staging = Files.createDirectories(home.resolve("staging"));
        try (DaemonProcess daemon = daemon().start()) {
            List<Future<JsonNode>> answers = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(100)) {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    answers.add(callers.submit(() -> {
                        // Written whole, then moved in, as a deployment would: a reload that read the
                        // file between its creation and its first byte would rightly refuse an empty template.
                        Path written = Files.writeString(staging.resolve("t" + n), "template " + n + "\n");
                        Files.move(written, home.resolve("templates/t" + n + ".mustache"), StandardCopyOption.ATOMIC_MOVE);
                        return JSON.readTree(daemon.post("/v1/reload", "").body());
                    }));
                }
            }
            long last = 0;
            List<JsonNode> applied = daemon.audit("?result=applied&limit=1000");
            for (JsonNode entry : applied) {
                assertThat(entry.get("generation_after").asLong()).isGreaterThan(last);
                last = entry.get("generation_after").asLong();
            }
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get().get("result").asText()).isIn("applied", "unchanged");
            }
            JsonNode config = daemon.json("/v1/config").get("config");
            for (int i = 0; i < 100; i++) {
                assertThat(config.has("templates.t" + i)).as("template t%d", i).isTrue();
            }
            assertThat(daemon.json("/v1/status").get("generation").asLong()).isEqualTo(last);
        }
    }

    private DaemonProcess daemon() throws Exception {
        return new DaemonProcess(home, "").file("loop-types/quick.toml", QUICK.formatted(1));
    }

    private static int maxIterations(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/loop-types/quick").get("max_iterations").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double gauge(DaemonProcess daemon) {
        try {
            Matcher value = Pattern.compile("(?m)^taskd_last_reload_success (\\S+)$").matcher(daemon.get("/metrics").body());
            return value.find() ? Double.parseDouble(value.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

}
