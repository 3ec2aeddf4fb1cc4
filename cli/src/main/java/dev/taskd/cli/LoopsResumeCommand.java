package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskd loops resume ID}: lets a paused loop go on. */
@Command(name = "resume",
        mixinStandardHelpOptions = true,
        description = {"Resume a paused loop.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  resumed", "  1  no such loop, or the prefix matches several", "  3  no daemon answered"})
final class LoopsResumeCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Override
    public Integer call() {
        JsonNode loop = client().post("/loops/" + DaemonClient.segment(id) + "/resume", null);
        printLoop(loop);
        return ExitCode.OK;
    }
}
