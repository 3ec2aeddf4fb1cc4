package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskd loops cancel ID}: stops a loop for good. */
@Command(name = "cancel",
        mixinStandardHelpOptions = true,
        description = {"Cancel a loop: its running iteration is stopped and it never runs again.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  cancelled", "  1  no such loop, or the prefix matches several", "  3  no daemon answered"})
final class LoopsCancelCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Override
    public Integer call() {
        JsonNode loop = client().delete("/loops/" + DaemonClient.segment(id));
        printLoop(loop);
        return ExitCode.OK;
    }
}
