package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs the command line in-process with real arguments and checks exit code and output. */
class ValidateCommandTest {

    private static final Path SHIPPED = Path.of("..", "config", "taskd.toml");
    private static final Path BROKEN =
            Path.of("..", "daemon", "src", "test", "resources", "golden", "unknown-key-in-loop-type", "config", "taskd.toml");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theShippedConfigurationIsValid() {
        int exit = run("validate", "--config", SHIPPED.toString());

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).matches("(?s).*taskd\\.toml: configuration is valid \\(3 loop types, 2 templates\\)\\R");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anInvalidConfigurationExitsFourAndNamesFileLineAndColumn() {
        int exit = run("validate", "-c", BROKEN.toString());

        assertThat(exit).isEqualTo(ExitCode.INVALID_CONFIG);
        assertThat(out.toString().lines().toList())
                .hasSize(3)
                .anySatisfy(line -> assertThat(line).endsWith(
                        "unknown-key-in-loop-type/loop-types/fix.toml:7:1: unknown key 'max-iteration'; did you mean 'max-iterations'?"))
                .last().asString().endsWith("configuration is invalid (2 errors)");
    }

    @Test
    void jsonOutputIsOneEnvelopeOnStdoutAndTheSummaryGoesToStderr() throws Exception {
        int exit = run("validate", "--json", "--config", BROKEN.toString());

        assertThat(exit).isEqualTo(ExitCode.INVALID_CONFIG);
        JsonNode answer = new ObjectMapper().readTree(out.toString());
        assertThat(answer.get("valid").asBoolean()).isFalse();
        assertThat(answer.get("errors").asInt()).isEqualTo(2);
        assertThat(answer.get("warnings").asInt()).isZero();
        JsonNode findings = answer.get("findings");
        assertThat(findings.isArray()).isTrue();
        assertThat(findings).hasSize(2);
        JsonNode first = findings.get(0);
        assertThat(first.get("line").asInt()).isEqualTo(7);
        assertThat(first.get("column").asInt()).isEqualTo(1);
        assertThat(first.get("severity").asText()).isEqualTo("error");
        assertThat(first.get("message").asText()).isEqualTo("unknown key 'max-iteration'");
        assertThat(first.get("fix").asText()).isEqualTo("did you mean 'max-iterations'?");
        assertThat(err.toString()).contains("configuration is invalid");
    }

    @Test
    void aMissingConfigFileIsAFindingAndExitsFour() {
        int exit = run("validate", "--config", "no/such/taskd.toml");

        assertThat(exit).isEqualTo(ExitCode.INVALID_CONFIG);
        assertThat(out.toString()).contains("no/such/taskd.toml:1:1: no/such/taskd.toml does not exist");
    }

    @Test
    void helpAndVersionReadWell() {
        assertThat(run("--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Usage: taskd", "validate", "Exit codes:");

        out.getBuffer().setLength(0);
        assertThat(run("validate", "--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("--config=FILE", "--json", "TASKD_CONFIG");

        out.getBuffer().setLength(0);
        assertThat(run("--version")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).startsWith("taskd " + VersionProvider.version()).contains("JVM ");
        assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Unmatched argument");

        assertThat(run("validate", "--jsn")).isEqualTo(ExitCode.USAGE);
        assertThat(run()).isEqualTo(ExitCode.USAGE);
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
