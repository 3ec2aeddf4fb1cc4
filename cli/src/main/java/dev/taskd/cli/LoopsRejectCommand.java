package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskd loops reject ID --reason TEXT}: sends a loop that awaits approval back for another iteration. */
@Command(name = "reject",
        mixinStandardHelpOptions = true,
        description = {"Reject a loop that awaits approval: it runs another iteration, which reads the reason",
            "as its previous output (the template's previous-output, a script's ctx.previousOutput).", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  rejected, queued again", "  1  no such loop, or it does not await approval",
            "  3  no daemon answered"})
final class LoopsRejectCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "what is wrong; the next iteration reads it")
    String reason;

    @Override
    public Integer call() {
        JsonNode body = DaemonClient.JSON.createObjectNode().put("reason", reason);
        JsonNode loop = client().post("/loops/" + DaemonClient.segment(id) + "/reject", body);
        printLoop(loop);
        return ExitCode.OK;
    }
}
