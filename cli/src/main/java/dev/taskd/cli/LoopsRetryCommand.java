package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskd loops retry ID [--more N]}: queues a failed or cancelled loop again. */
@Command(name = "retry",
        mixinStandardHelpOptions = true,
        description = {"Queue a failed or cancelled loop again. It goes on at its next iteration, with its",
            "state and history, allowed N more iterations. The retry is noted on the loop ('taskd loops show').", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  queued again", "  1  no such loop, or it is neither failed nor cancelled",
            "  3  no daemon answered"})
final class LoopsRetryCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Option(names = "--more", paramLabel = "N",
            description = "iterations allowed beyond those it ran (default: its type's max-iterations)")
    Integer more;

    @Override
    public Integer call() {
        JsonNode loop = client().post("/loops/" + DaemonClient.segment(id) + "/retry"
                + DaemonClient.query(Collections.singletonMap("more", more)), null);
        printLoop(loop);
        return ExitCode.OK;
    }
}
