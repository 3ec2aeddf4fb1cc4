package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskd reload [--dry-run]}: reloads the configuration files now, or shows what that would
 * do — the diff, the verdict, findings, and the effect on every running and queued loop.
 */
@Command(name = "reload",
        mixinStandardHelpOptions = true,
        description = {"Reload the configuration files now, through the same checks as every hot reload.",
            "With --dry-run, show what a reload would do without doing it.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  applied, unchanged, or (dry run) would apply", "  1  failed and rolled back",
                  "  3  no daemon answered", "  4  rejected, or (dry run) would be rejected"})
final class ReloadCommand extends ClientCommand {

    @Option(names = "--dry-run", description = "show the plan: diff, verdict, findings, effect on loops")
    boolean dryRun;

    @Override
    public Integer call() {
        JsonNode answer = client().post("/reload" + (dryRun ? "?dry_run=true" : ""), null);
        if (json()) {
            printJson(answer);
        } else {
            ReloadReport.print(out(), answer);
        }
        String verdict = dryRun ? answer.path("verdict").asText() : answer.path("result").asText();
        return switch (verdict) {
            case "apply", "applied", "unchanged" -> ExitCode.OK;
            case "failed" -> ExitCode.FAILURE;
            default -> ExitCode.INVALID_CONFIG;
        };
    }
}
