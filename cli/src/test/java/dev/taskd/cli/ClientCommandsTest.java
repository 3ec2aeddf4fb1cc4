package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The client commands, in-process, with no daemon: parsing, help, and exit 3 when nothing listens. */
class ClientCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void inputsAreSplitAtTheFirstEqualsSign() {
        CommandLine commandLine = Main.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs(
                "run", "fix", "--input", "target=a=b", "-i", "empty=", "--input", "query=x == y", "--after", "01J", "--after", "02K");

        RunCommand run = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(run.type).isEqualTo("fix");
        assertThat(run.inputs()).containsExactly(Map.entry("target", "a=b"), Map.entry("empty", ""),
                Map.entry("query", "x == y"));
        assertThat(run.after).containsExactly("01J", "02K");
        assertThat(run.priority).isNull();
        assertThat(run.follow).isFalse();
    }

    @Test
    void anInputWithoutEqualsIsAUsageErrorNamingTheArgument() {
        int exit = run("run", "fix", "--input", "target", "--url", "http://127.0.0.1:1");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--input'", "'target' has no '='",
                "NAME=VALUE").doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();

        assertThat(run("run", "fix", "-i", "=value")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("'=value' has no name before '='");
    }

    @Test
    void onlyTheInvokedSubcommandIsBuilt() {
        assertThat(Main.commandLine(new String[] {"status", "--url", "127.0.0.1:1"}).getSubcommands())
                .containsOnlyKeys("status");
        assertThat(Main.commandLine(new String[] {"loops", "list"}).getSubcommands().get("loops").getSubcommands())
                .containsKeys("list", "show", "cancel");
    }

    @Test
    void helpAndUnknownCommandsSeeTheWholeTree() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("start", "stop", "validate", "status", "run", "loops", "types", "reload",
                "rollback", "audit", "help").doesNotContain("startup-training");

        assertThat(run("help", "reload")).isZero();
        assertThat(out.toString()).contains("Usage: taskd reload");

        assertThat(run("statsu")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("'statsu'", "status");
    }

    @Test
    void aRepeatedInputKeepsItsLastValue() {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("run", "fix", "-i", "a=1", "-i", "b=2", "-i", "a=3");

        RunCommand run = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(run.inputs()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "run hello", "loops list", "loops show 01J", "loops cancel 01J",
        "loops pause 01J --now", "loops resume 01J", "loops retry 01J --more 2", "loops approve 01J",
        "loops reject 01J --reason late", "types list", "types show hello"})
    void everyClientCommandExitsThreeWithOneLineWhenNoDaemonAnswers(String command) throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        String[] args = (command + " --url " + url).split(" ");

        int exit = run(args);

        assertThat(exit).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("taskd: no daemon answered at " + url + ": ")
                .endsWith("; start one with './taskd start' or pass --url");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theUrlComesFromDaemonListenOfTheConfigWhenNeitherOptionNorEnvironmentNamesIt(@TempDir Path directory)
            throws IOException {
        int port = freePort();
        Path config = directory.resolve("taskd.toml");
        Files.writeString(config, "[daemon]\nlisten = \"0.0.0.0:" + port + "\"\n");

        CommandLine commandLine = Main.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs("status", "--config", config.toString());
        StatusCommand status = parsed.subcommand().commandSpec().commandLine().getCommand();

        if (System.getenv(DaemonAddress.URL_VARIABLE) == null) {
            assertThat(status.options.resolveUrl()).isEqualTo("http://127.0.0.1:" + port);
        }
        assertThat(DaemonAddress.listenFromConfig(directory.resolve("missing.toml"))).isEqualTo("127.0.0.1:7070");
        Files.writeString(config, "[daemon\nlisten = ");
        assertThat(DaemonAddress.listenFromConfig(config)).isEqualTo("127.0.0.1:7070");
        assertThat(DaemonAddress.urlOf("[::]:7070")).isEqualTo("http://[::1]:7070");
        assertThat(DaemonAddress.urlOf("localhost:8080")).isEqualTo("http://localhost:8080");
        assertThat(DaemonAddress.urlOf("https://taskd.example:8443")).isEqualTo("https://taskd.example:8443");
        StatusCommand bare = Main.commandLine().parseArgs("status", "--url", "10.0.0.5:7070")
                .subcommand().commandSpec().commandLine().getCommand();
        assertThat(bare.options.resolveUrl()).isEqualTo("http://10.0.0.5:7070");
    }

    @Test
    void aMalformedUrlIsAUsageError() {
        assertThat(run("status", "--url", "ftp://127.0.0.1:7070")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("--url: 'ftp://127.0.0.1:7070' is not an http:// URL");
        assertThat(run("status", "--url", "http://bad host:1")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("--url: 'http://bad host:1' is not a URL");
    }

    @Test
    void aGroupWithoutACommandIsAUsageError() {
        assertThat(run("loops")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("list", "show", "cancel", "pause", "resume");
        assertThat(run("types")).isEqualTo(ExitCode.USAGE);
        assertThat(run("run")).isEqualTo(ExitCode.USAGE);
        assertThat(run("loops", "show")).isEqualTo(ExitCode.USAGE);
        assertThat(run("loops", "list", "--limit", "0", "--url", "http://127.0.0.1:1")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void theTopLevelHelpListsTheNewCommands() {
        assertThat(run("--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("status", "run", "loops", "types", "validate");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "status|",
        "run|TYPE,--input=NAME=VALUE,--priority=N,--after=ID,--follow",
        "loops list|--state=STATE,--type=TYPE,--limit=N",
        "loops show|ID",
        "loops cancel|ID",
        "loops pause|ID,--now",
        "loops resume|ID",
        "types list|",
        "types show|NAME"})
    void everyClientCommandsHelpListsItsOptions(String spec) {
        String[] parts = spec.split("\\|", -1);
        String[] command = (parts[0] + " --help").split(" ");

        assertThat(run(command)).isEqualTo(ExitCode.OK);

        String help = out.toString();
        assertThat(help).contains("Usage: taskd " + parts[0], "--url=URL", "--token=TOKEN", "--json", "--config=FILE",
                "TASKD_URL", "TASKD_TOKEN", "Exit codes:");
        if (!parts[1].isEmpty()) {
            assertThat(help).contains(parts[1].split(","));
        }
        assertThat(err.toString()).isEmpty();
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
