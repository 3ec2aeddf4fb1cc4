package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskd logs ID}: a loop's command output, from {@code GET /v1/loops/{id}/output}. Without
 * {@code --follow}, one iteration's stored output; with it, the running iteration's output as it
 * is written and that of the iterations after it, until the loop ends.
 */
@Command(name = "logs",
        mixinStandardHelpOptions = true,
        description = {"Print the output of a loop's commands (action, then validation).",
            "Without --follow: the latest iteration's, or that of --iteration N.",
            "With --follow: the running iteration's as it is written, and the next ones'",
            "until the loop ends; Ctrl-C stops following, the loop keeps running.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  printed; with --follow: the loop succeeded",
            "  1  no such loop or iteration; with --follow: the loop failed or was cancelled",
            "  2  usage error, such as --follow with --iteration",
            "  3  no daemon answered"})
final class LogsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Option(names = {"-n", "--iteration"}, paramLabel = "N", description = "this iteration (default: the latest)")
    Integer iteration;

    @Option(names = {"-f", "--follow"}, description = "follow the running iteration and the next ones until the loop ends")
    boolean follow;

    @Option(names = "--stream", paramLabel = "COMMAND", description = "only the output of action or validation")
    String command;

    @Override
    public Integer call() {
        if (command != null && !command.equals("action") && !command.equals("validation")) {
            err().println("taskd: --stream must be action or validation, not '" + command + "'");
            return ExitCode.USAGE;
        }
        if (follow && iteration != null) {
            err().println("taskd: --follow follows the running iteration; drop --iteration, or --follow to print"
                    + " iteration " + iteration);
            return ExitCode.USAGE;
        }
        JsonNode loop = client().get("/loops/" + DaemonClient.segment(id));
        String path = "/loops/" + DaemonClient.segment(Format.text(loop, "id")) + "/output";
        Map<String, Object> query = DaemonClient.parameters();
        if (command != null) {
            query.put("command", command);
        }
        if (!follow) {
            if (iteration != null) {
                query.put("iteration", iteration);
            }
            query.put("follow", "false");
            HttpExchange.Answer answer = client().http().send("GET", path + DaemonClient.query(query), null,
                    Map.of("Accept", "text/plain"));
            if (!answer.success()) {
                throw HttpExchange.refusal("GET", path, answer);
            }
            out().print(answer.text());
            out().flush();
            return ExitCode.OK;
        }
        try {
            new OutputStreamReader(client().http()).read(path + DaemonClient.query(query), event -> {
                if (json()) {
                    out().println(event.toString());
                } else {
                    out().print(Format.text(event, "text"));
                }
                out().flush();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("taskd: stopped following; loop " + Format.text(loop, "id") + " keeps running");
            return ExitCode.FAILURE;
        }
        // The daemon ends the stream once the loop has ended: its state is the outcome.
        String state = Format.text(client().get("/loops/" + DaemonClient.segment(Format.text(loop, "id"))), "state");
        return "succeeded".equals(state) ? ExitCode.OK : ExitCode.FAILURE;
    }
}
