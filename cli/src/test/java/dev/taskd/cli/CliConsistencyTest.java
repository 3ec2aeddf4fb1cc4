package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The same habits across commands, in-process and with no daemon: every bad option value is a
 * usage error (exit 2) found before a daemon is asked, {@code --json} where data is printed,
 * whole-sentence summaries in the help.
 */
class CliConsistencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {
        "loops list --state bogus|--state is one of queued, running, paused, blocked, awaiting_approval, succeeded, failed, cancelled",
        "audit --since yesterday|--since takes an ISO-8601 time",
        "audit --until 5oclock|--until takes an ISO-8601 time",
        "audit --result won|--result is one of applied, failed, rejected, unchanged",
        "audit --scope everything|--scope is one of monitoring",
        "stop --wait forever|--wait needs a duration",
        "run hello --priority high|--priority",
        "loops list --limit 0|--limit must be at least 1",
        "reload --out plan.json|--out goes with --dry-run"})
    void aBadOptionValueIsAUsageErrorEvenWithNoDaemonToAsk(String spec) throws IOException {
        String[] parts = spec.split("\\|");
        List<String> args = new java.util.ArrayList<>(List.of(parts[0].split(" ")));
        args.addAll(List.of("--url", "http://127.0.0.1:" + freePort()));

        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains(parts[1]).doesNotContain("taskd: no daemon answered at");
    }

    @Test
    void aParameterTheDaemonRefusesIsAUsageErrorToo() {
        assertThat(Main.exitCode(new ApiError(400, "bad_request", "order must be oldest or newest")))
                .isEqualTo(ExitCode.USAGE);
        assertThat(Main.exitCode(new ApiError(404, "not_found", "no loop"))).isEqualTo(ExitCode.FAILURE);
        assertThat(Main.exitCode(new ApiError(409, "conflict", "finished"))).isEqualTo(ExitCode.FAILURE);
    }

    @Test
    void auditVerifyPrintsItsVerdictAsJson(@TempDir Path directory) throws IOException {
        Path intact = Files.writeString(directory.resolve("audit.jsonl"), "");
        assertThat(run("audit", "verify", "--file", intact.toString(), "--json")).isEqualTo(ExitCode.OK);
        JsonNode verdict = JSON.readTree(out.toString());
        assertThat(verdict.get("ok").asBoolean()).isTrue();
        assertThat(verdict.get("file").asText()).isEqualTo(intact.toString());
        assertThat(verdict.get("entries").asLong()).isZero();
        assertThat(verdict.get("broken_line").isNull()).isTrue();

        Path broken = Files.writeString(directory.resolve("broken.jsonl"), "{not json\n");
        assertThat(run("audit", "verify", "--file", broken.toString(), "--json")).isEqualTo(ExitCode.FAILURE);
        verdict = JSON.readTree(out.toString());
        assertThat(verdict.get("ok").asBoolean()).isFalse();
        assertThat(verdict.get("broken_line").asLong()).isEqualTo(1);
        assertThat(verdict.get("reason").asText()).isNotBlank();
    }

    @Test
    void theCommandListGivesEachCommandsFirstWholeSentence() {
        assertThat(run("--help")).isZero();
        String help = out.toString();
        assertThat(help.replaceAll("\\s+", " ")).contains(
                "start Run the daemon in the foreground: load the configuration, resume unfinished loops, serve the"
                        + " admin API. stop");
        String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
        // Each summary, with its wrapped lines joined, ends a sentence.
        String joined = commands.substring(commands.indexOf('\n') + 1).replaceAll("\n {3,}", " ");
        for (String line : joined.strip().lines().toList()) {
            assertThat(line.strip()).as("summary of '%s'", line.strip().split(" ")[0]).endsWith(".");
        }

        assertThat(run("loops", "--help")).isZero();
        assertThat(out.toString()).containsPattern("list +List loops, oldest first \\(or newest first with --newest\\): ID,");
    }

    @Test
    void aClientCommandsConfigIsDocumentedAsFindingTheDaemonOnly() {
        assertThat(run("status", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("-c, --config=FILE the taskd.toml whose daemon.listen"
                + " gives the URL").contains("it does not change what the daemon loads: 'taskd reload --from' does that");
        assertThat(run("reload", "--help")).isZero();
        assertThat(out.toString()).contains("--from=DIR|FILE");
    }

    @Test
    void loopsListPagesNewestFirstFromAnId() {
        LoopsListCommand list = Main.commandLine().parseArgs("loops", "list", "--newest", "--after", "01J")
                .subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertThat(list.newest).isTrue();
        assertThat(list.after).isEqualTo("01J");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = Main.commandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
