package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.cli.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped unit, config/taskd.service, as systemd sees it ({@code systemd-analyze verify} and
 * {@code security}, where installed), and the launcher it runs, which never builds when told it
 * is installed.
 */
class SystemdUnitTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path UNIT = ROOT.resolve("config/taskd.service");

    @TempDir
    Path temp;

    @Test
    void theUnitWaitsForReadinessDoesNotRestartOnAnInvalidConfigAndNeverBuilds() throws IOException {
        String unit = Files.readString(UNIT);
        assertThat(unit).containsPattern("(?m)^Type=notify$")
                .containsPattern("(?m)^RestartPreventExitStatus=" + ExitCode.INVALID_CONFIG + "$")
                .containsPattern("(?m)^StateDirectory=taskd$")
                .containsPattern("(?m)^Environment=TASKD_NO_BUILD=1$")
                .doesNotContain("ReadWritePaths=");
    }

    @Test
    void systemdAnalyzeFindsNothingWrongAndRatesTheUnitOk() throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"),
                "systemd-analyze is not on PATH; the unit's verify and security checks are skipped");
        // verify checks that ExecStart's program exists: lay the launcher out where the unit says, under temp.
        Path install = temp.resolve("opt/taskd");
        Files.createDirectories(install);
        Files.copy(ROOT.resolve("taskd"), install.resolve("taskd"));
        Path unit = temp.resolve("taskd.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/opt/taskd", install.toString()));

        Result verify = run("systemd-analyze", "verify", unit.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).as("verify says nothing of a clean unit").isBlank();

        Result security = run("systemd-analyze", "security", "--offline=true", unit.toString());
        Matcher level = Pattern.compile("Overall exposure level for taskd.service: (\\d+\\.\\d+) (\\w+)")
                .matcher(security.output());
        assertThat(level.find()).as(security.output()).isTrue();
        assertThat(Double.parseDouble(level.group(1))).as(security.output()).isLessThanOrEqualTo(3.0);
        assertThat(level.group(2)).isEqualTo("OK");
    }

    @Test
    void theLauncherToldItIsInstalledNeverBuildsAndNamesTheMissingJar() throws Exception {
        Path copy = temp.resolve("taskd-copy");
        Files.createDirectories(copy);
        Files.copy(ROOT.resolve("taskd"), copy.resolve("taskd"));
        Files.copy(ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));

        ProcessBuilder launcher = new ProcessBuilder("bash", copy.resolve("taskd").toString(), "status");
        launcher.environment().putAll(Map.of("TASKD_NO_BUILD", "1"));
        Result result = run(launcher);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("cli/target/taskd.jar is missing and TASKD_NO_BUILD=1 forbids building it",
                "build it where the checkout is writable");
        assertThat(copy.resolve("cli")).as("nothing was built").doesNotExist();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        return run(new ProcessBuilder(command));
    }

    private static Result run(ProcessBuilder command) throws Exception {
        Process process = command.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(directory -> Files.isExecutable(Path.of(directory.isEmpty() ? "." : directory, program)));
    }
}
