package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.e2e.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code taskd validate} as a real process, in a real working directory, the way a user's
 * shell does: exit code, stdout and stderr as the user sees them.
 */
class ValidateProcessTest {

    @TempDir
    Path workingDirectory;

    @Test
    void findingsAreRelativeToTheWorkingDirectoryAndStdoutHoldsNothingElse() throws Exception {
        write("config/taskd.toml", "[limits]\nmax-loops = 0\n");
        write("loop-types/fix.toml", "command = \"make\"\ntemplate = \"fix\"\ninputs = [\"target\"]\n");
        write("templates/fix.mustache", "Fix {{targte}}.\n");

        Result result = taskd("validate", "--config", "config/taskd.toml");

        assertThat(result.exit()).isEqualTo(ExitCode.INVALID_CONFIG);
        assertThat(result.stdout().lines().toList()).containsExactly(
                "config/taskd.toml:2:1: 'limits.max-loops' must be an integer from 1 to 1000000; found integer 0",
                "templates/fix.mustache:1:5: variable 'targte' is neither an input of loop type 'fix' nor a built-in;"
                        + " did you mean 'target'?",
                "config/taskd.toml: configuration is invalid (2 errors)");
    }

    @Test
    void theConfigComesFromTheEnvironmentWhenNoOptionNamesIt() throws Exception {
        write("config/taskd.toml", "");
        write("loop-types/ok.toml", "command = \"true\"\n");
        write("templates/unused.mustache", "hello\n");

        Result result = taskd(List.of("TASKD_CONFIG=config/taskd.toml"), "validate");

        assertThat(result.exit()).isEqualTo(ExitCode.OK);
        assertThat(result.stdout()).isEqualTo("config/taskd.toml: configuration is valid (1 loop type, 1 template)\n");
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result taskd(String... args) throws IOException, InterruptedException {
        return taskd(List.of(), args);
    }

    private Result taskd(List<String> environment, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = Cli.command(workingDirectory, List.of(args));
        for (String variable : environment) {
            String[] pair = variable.split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        }
        Path stdout = workingDirectory.resolve(".stdout");
        Path stderr = workingDirectory.resolve(".stderr");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("taskd validate did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private void write(String relative, String content) throws IOException {
        Path file = workingDirectory.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
