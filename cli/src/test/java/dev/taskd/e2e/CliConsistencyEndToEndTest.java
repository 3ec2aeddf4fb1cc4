package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's shared habits against the real daemon: paging newest first, the API's
 * envelopes under {@code --json}, a pending pause said as such, a refused parameter as a usage
 * error, and {@code reload --from} loading other files, as {@code caddy reload --config} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliConsistencyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DaemonProcess daemon;
    private Path home;

    @BeforeAll
    void startDaemon(@TempDir Path home) throws Exception {
        this.home = home;
        daemon = new DaemonProcess(home, "").start();
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void loopsListPagesNewestFirstWithAfter() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(daemon.submit("hello", "{\"count\":\"1\"}", 0));
        }
        JsonNode first = json(taskd("loops", "list", "--type", "hello", "--newest", "--limit", "2", "--json"));
        List<String> page = new ArrayList<>();
        first.get("loops").forEach(loop -> page.add(loop.get("id").asText()));
        int newest = ids.size() - 1;
        assertThat(page.subList(0, 2)).containsExactly(ids.get(newest), ids.get(newest - 1));
        assertThat(first.get("next").asText()).isEqualTo(ids.get(newest - 1));

        JsonNode next = json(taskd("loops", "list", "--type", "hello", "--newest", "--after", ids.get(newest - 1),
                "--json"));
        assertThat(next.get("loops").get(0).get("id").asText()).isEqualTo(ids.get(newest - 2));

        var sideways = daemon.get("/v1/loops?order=sideways");
        assertThat(sideways.statusCode()).isEqualTo(400);
        assertThat(sideways.body()).contains("order must be oldest or newest; found 'sideways'");

        Cli.Result text = taskd("loops", "list", "--type", "hello", "--newest", "--limit", "1");
        assertThat(text.exit()).isZero();
        assertThat(text.stderr()).contains("more loops follow: the next page with --after " + ids.get(newest));
    }

    @Test
    void auditJsonIsTheApisEnvelope() throws Exception {
        JsonNode audit = json(taskd("audit", "--json"));
        assertThat(audit.isObject()).isTrue();
        assertThat(audit.get("entries").isArray()).isTrue();
    }

    @Test
    void pausingARunningLoopSaysThePauseIsPending() throws Exception {
        String loop = daemon.submit("retry-command", "{\"command\":\"sleep 3\",\"check\":\"true\"}", 0);
        daemon.awaitState(loop, Duration.ofSeconds(30), "running");

        Cli.Result pause = taskd("loops", "pause", loop);

        assertThat(pause.exit()).as(pause.stderr()).isZero();
        assertThat(pause.stdout()).contains("running")
                .contains("pause requested; the loop pauses after its current iteration");
        daemon.awaitState(loop, Duration.ofSeconds(30), "paused", "succeeded");
    }

    @Test
    void aParameterTheDaemonRefusesExitsTwo() throws Exception {
        String loop = daemon.submit("hello", "{\"count\":\"1\"}", 0);
        daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");
        Cli.Result logs = taskd("logs", loop, "--iteration", "99");
        assertThat(logs.exit()).as(logs.stderr()).isEqualTo(2);
        assertThat(logs.stderr()).contains("iteration must be an iteration of loop " + loop);
        Cli.Result state = taskd("loops", "list", "--state", "done");
        assertThat(state.exit()).isEqualTo(2);
        assertThat(state.stderr()).contains("--state is one of");
    }

    @Test
    void reloadFromADirectoryOrAFileLoadsThoseFilesAndLeavesTheDiskAlone() throws Exception {
        Path candidate = home.resolve("candidate");
        Files.createDirectories(candidate.resolve("loop-types"));
        Files.writeString(candidate.resolve("loop-types/extra.toml"), "command = \"true\"\nmax-iterations = 1\n");

        Cli.Result fromDirectory = taskd("reload", "--from", candidate.toString());

        assertThat(fromDirectory.exit()).as(fromDirectory.stdout() + fromDirectory.stderr()).isZero();
        assertThat(taskd("types", "list").stdout()).contains("extra");
        assertThat(home.resolve("loop-types/extra.toml")).doesNotExist();

        Path otherConfig = home.resolve("other.toml");
        Files.writeString(otherConfig, Files.readString(daemon.config) + "\n[limits]\nmax-loops = 7\n");
        Cli.Result fromFile = taskd("reload", "--from", otherConfig.toString(), "--json");

        assertThat(fromFile.exit()).as(fromFile.stdout() + fromFile.stderr()).isZero();
        assertThat(json(fromFile).get("result").asText()).isEqualTo("applied");
        assertThat(daemon.json("/v1/config").get("config").get("limits.max-loops").asText()).isEqualTo("7");
    }

    @Test
    void colourOnlyAtATerminalAndNeverWithNoColor() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
                "util-linux's script (a terminal for the command) is not installed; colour is not checked");
        String loop = daemon.submit("hello", "{\"count\":\"1\"}", 0);
        daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");

        assertThat(taskd("loops", "show", loop).stdout()).contains("succeeded").doesNotContain("\u001b[");
        assertThat(atTerminal(false, "loops", "show", loop)).contains("\u001b[32msucceeded\u001b[0m");
        assertThat(atTerminal(true, "loops", "show", loop)).contains("succeeded").doesNotContain("\u001b[");
        assertThat(atTerminal(false, "loops", "list", "--type", "hello")).contains("\u001b[32msucceeded\u001b[0m");
    }

    /** What {@code taskd ARGS} prints with a terminal for stdin and stdout (util-linux's script). */
    private String atTerminal(boolean noColor, String... args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.addAll(List.of("--url", "http://127.0.0.1:" + daemon.port));
        String line = String.join(" ", Cli.command(home, arguments).command().stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
        ProcessBuilder terminal = new ProcessBuilder("script", "-qec", line, "/dev/null").directory(home.toFile())
                .redirectErrorStream(true);
        terminal.environment().remove("NO_COLOR");
        terminal.environment().put("TERM", "xterm");
        if (noColor) {
            terminal.environment().put("NO_COLOR", "1");
        }
        Process process = terminal.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private Cli.Result taskd(String... args) throws Exception {
        return Cli.run(home, daemon.port, args);
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        assertThat(result.exit()).as(result.stderr()).isZero();
        return JSON.readTree(result.stdout());
    }
}
