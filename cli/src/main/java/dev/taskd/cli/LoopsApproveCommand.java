package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskd loops approve ID}: lets a loop that awaits approval succeed. */
@Command(name = "approve",
        mixinStandardHelpOptions = true,
        description = {"Approve a loop whose validation passed and that awaits approval (approval =",
            "\"before-success\"): it succeeds. 'taskd loops reject ID --reason TEXT' sends it back instead.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  approved", "  1  no such loop, or it does not await approval", "  3  no daemon answered"})
final class LoopsApproveCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Override
    public Integer call() {
        JsonNode loop = client().post("/loops/" + DaemonClient.segment(id) + "/approve", null);
        printLoop(loop);
        return ExitCode.OK;
    }
}
