package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskd reload}: reloads the configuration files now; with {@code --dry-run} shows what that
 * would do (of the files in place, or of candidate files with {@code --from}/{@code --file}) and
 * can save that plan ({@code --out}); with {@code --plan} applies a saved plan only if nothing
 * moved since it was made — {@code terraform plan/apply} for the daemon's configuration.
 */
@Command(name = "reload",
        mixinStandardHelpOptions = true,
        description = {"Reload the configuration files now, through the same checks as every hot reload.",
            "With --from or --file, load those files instead, laid over the ones in force (the files on",
            "disk stay as they are, and 'taskd status' shows drift, as after a rollback).",
            "With --dry-run, show what a reload would do without doing it: each changed file as a unified",
            "diff, the changed keys with their scopes, the verdict, findings, and the effect on every",
            "running and queued loop.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  applied, unchanged, or (dry run) would apply", "  1  failed and rolled back",
                  "  3  no daemon answered",
                  "  4  rejected, (dry run) would be rejected, or (--plan) the plan is stale: the running",
                  "     generation or a file changed since it was made"})
final class ReloadCommand extends ClientCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dry-run", description = "show the plan without applying it")
    boolean dryRun;

    @Option(names = "--from", paramLabel = "DIR|FILE",
            description = "load the files of DIR (taskd.toml, loop-types/, templates/, or some of them), or FILE as"
                    + " taskd.toml, laid over the running ones (with --dry-run: preview them); nothing on disk changes")
    Path from;

    @Option(names = "--file", paramLabel = "REL=PATH",
            description = "load PATH as the file REL (loop-types/ralph.toml=./ralph.new.toml), as --from does;"
                    + " repeatable")
    List<String> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "with --dry-run: also write the plan to FILE")
    Path out;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "apply the plan in FILE, only if the running generation is still its base and the files"
                    + " still hash to what it previewed")
    Path plan;

    @Override
    public Integer call() {
        check();
        if (plan != null) {
            return report(applyPlan(), "result");
        }
        JsonNode body = from == null && files.isEmpty() ? null
                : PlanCandidates.body(spec.commandLine(), from, files);
        if (!dryRun) {
            return report(client().post("/reload", body), "result");
        }
        JsonNode answer = client().post("/reload?dry_run=true", body);
        if (out != null) {
            write(answer);
        }
        return report(answer, "verdict");
    }

    private void check() {
        CommandLine line = spec.commandLine();
        if (!dryRun && out != null) {
            throw new CommandLine.ParameterException(line, "--out goes with --dry-run");
        }
        if (plan != null && (from != null || !files.isEmpty())) {
            throw new CommandLine.ParameterException(line, "--plan applies the files of the plan; it does not go with"
                    + " --from or --file");
        }
        if (plan != null && dryRun) {
            throw new CommandLine.ParameterException(line, "--plan applies a plan; it does not go with --dry-run");
        }
    }

    private JsonNode applyPlan() {
        JsonNode saved;
        try {
            saved = JSON.readTree(plan.toFile());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plan " + plan + ": cannot read it as JSON: "
                    + e.getMessage());
        }
        if (!saved.path("dry_run").asBoolean(false) || !saved.has("base_generation")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plan " + plan
                    + ": not a plan; write one with 'taskd reload --dry-run --out FILE'");
        }
        return client().post("/reload", saved, Map.of("If-Match", "\"" + saved.get("base_generation").asText() + "\""));
    }

    private void write(JsonNode answer) {
        try {
            Files.writeString(out, answer.toPrettyString() + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the plan to " + out + ": " + e.getMessage(), e);
        }
        err().println("taskd: plan written to " + out + "; apply it with 'taskd reload --plan " + out + "'");
        err().flush();
    }

    private int report(JsonNode answer, String field) {
        if (json()) {
            printJson(answer);
        } else {
            ReloadReport.print(out(), answer, Colour.forStdout());
        }
        return switch (answer.path(field).asText()) {
            case "apply", "applied", "unchanged" -> ExitCode.OK;
            case "failed" -> ExitCode.FAILURE;
            default -> ExitCode.INVALID_CONFIG;
        };
    }
}
