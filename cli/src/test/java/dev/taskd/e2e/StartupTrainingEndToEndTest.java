package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskd startup-training}, the launcher's workload for its start-up cache, run as the launcher runs it. */
class StartupTrainingEndToEndTest {

    @Test
    void startupTrainingStartsServesAndStopsADaemonAndLeavesNothingBehind(@TempDir Path home) throws Exception {
        Path temporary = Files.createDirectories(home.resolve("tmp"));
        ProcessBuilder builder = Cli.command(home, List.of("startup-training"));
        builder.command().add(1, "-Djava.io.tmpdir=" + temporary);
        Path log = home.resolve("training.log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished within 120 s").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("daemon_started", "daemon_stopped");
        try (Stream<Path> left = Files.list(temporary)) {
            assertThat(left.filter(path -> path.getFileName().toString().startsWith("taskd-"))).isEmpty();
        }
    }

    @Test
    void theHelpDoesNotListStartupTraining() throws Exception {
        Process process = Cli.command(Path.of("."), List.of("--help")).redirectErrorStream(true).start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help).contains("status").doesNotContain("startup-training");
    }
}
