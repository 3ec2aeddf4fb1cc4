package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.config.ConfigSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code taskd completion} and {@code taskd schema}, run in-process with real arguments; the
 * completion script is then checked by a real bash.
 */
class CompletionAndSchemaCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void theBashScriptParsesAndRegistersCompletionForTaskd() throws Exception {
        assertThat(run("completion", "bash")).isEqualTo(ExitCode.OK);
        Path script = dir.resolve("taskd.bash");
        Files.writeString(script, out.toString());
        assertThat(out.toString()).contains("reload").contains("loops").contains("--dry-run").contains("completion");

        assertThat(bash("bash", "-n", script.toString())).isEqualTo("exit 0: ");
        assertThat(bash("bash", "-c", "source \"$1\" && complete -p taskd", "bash", script.toString()))
                .isEqualTo("exit 0: complete -o default -F _complete_taskd taskd\n");
    }

    @Test
    void zshGetsTheScriptThatLoadsBashcompinitItself() {
        assertThat(run("completion", "zsh")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("ZSH_VERSION").contains("bashcompinit").contains("_complete_taskd");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        assertThat(run("completion", "fish")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("fish").contains("bash, zsh");
    }

    @Test
    void schemaPrintsWhatTheKeyTableGenerates() {
        assertThat(run("schema", "taskd")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).isEqualTo(ConfigSchemas.files().get(ConfigSchemas.TASKD_FILE));
    }

    @Test
    void schemaWriteRegeneratesBothFiles() throws IOException {
        assertThat(run("schema", "--write", dir.toString())).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(dir.resolve(ConfigSchemas.LOOP_TYPE_FILE)))
                .isEqualTo(ConfigSchemas.files().get(ConfigSchemas.LOOP_TYPE_FILE));
        assertThat(Files.readString(dir.resolve(ConfigSchemas.TASKD_FILE)))
                .isEqualTo(ConfigSchemas.files().get(ConfigSchemas.TASKD_FILE));
    }

    @Test
    void anUnknownSchemaIsAUsageErrorNamingTheChoices() {
        assertThat(run("schema", "nginx")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("unknown schema 'nginx'; use taskd or loop-type");
    }

    private static String bash(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bash did not finish in 10 s");
        }
        return "exit " + process.exitValue() + ": " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
