package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskd rollback [--to GEN]}: re-applies an earlier generation's configuration. */
@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {"Re-apply the configuration of an earlier generation (the previous one by default)",
            "through the same checks as a reload. The files on disk are left alone: 'taskd status' shows",
            "drift until they match again.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  applied", "  1  no such generation kept, or it failed", "  3  no daemon answered",
                  "  4  rejected"})
final class RollbackCommand extends ClientCommand {

    @Option(names = "--to", paramLabel = "GEN", description = "the generation to go back to")
    Long to;

    @Override
    public Integer call() {
        JsonNode answer = client().post("/rollback" + (to == null ? "" : "?to=" + to), null);
        if (json()) {
            printJson(answer);
        } else {
            ReloadReport.print(out(), answer, Colour.forStdout());
        }
        return switch (answer.path("result").asText()) {
            case "applied", "unchanged" -> ExitCode.OK;
            case "rejected" -> ExitCode.INVALID_CONFIG;
            default -> ExitCode.FAILURE;
        };
    }
}
