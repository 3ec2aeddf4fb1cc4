package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskd loops pause ID [--now]}: holds a loop before its next iteration, or at once. */
@Command(name = "pause",
        mixinStandardHelpOptions = true,
        description = {"Pause a loop after its running iteration ends, or at once with --now.",
            "'taskd loops resume ID' lets it go on.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  paused, or (running) the pause requested", "  1  no such loop, or the prefix matches several", "  3  no daemon answered"})
final class LoopsPauseCommand extends ClientCommand {

    static final String PENDING = "pause requested; the loop pauses after its current iteration";

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Option(names = "--now", description = "interrupt the running iteration instead of letting it finish")
    boolean now;

    @Override
    public Integer call() {
        JsonNode loop = client().post("/loops/" + DaemonClient.segment(id) + "/pause" + (now ? "?now=true" : ""), null);
        printLoop(loop);
        if (!json() && "running".equals(Format.text(loop, "state"))) {
            // Not paused yet: the request waits for the running iteration, which may take long.
            out().println(PENDING);
            out().flush();
        }
        return ExitCode.OK;
    }
}
