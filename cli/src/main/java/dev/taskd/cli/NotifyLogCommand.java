package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskd notify log}: the latest webhook deliveries and their results, newest first. */
@Command(name = "log",
        mixinStandardHelpOptions = true,
        description = {"List the latest webhook deliveries, newest first: AT, TARGET, EVENT, LOOP, STATE, ATTEMPTS,"
                + " STATUS, ERROR; then the totals since the daemon started.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  listed", "  1  the daemon refused", "  3  no daemon answered"})
final class NotifyLogCommand extends ClientCommand {

    @Option(names = "--target", paramLabel = "NAME", description = "only the deliveries to [notify.NAME]")
    String target;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N deliveries (1-500)")
    int limit;

    @Override
    public Integer call() {
        String query = "?limit=" + limit + (target == null ? "" : "&target=" + DaemonClient.segment(target));
        JsonNode answer = client().get("/notify/deliveries" + query);
        if (json()) {
            printJson(answer);
            return ExitCode.OK;
        }
        Table table = new Table("AT", "TARGET", "EVENT", "LOOP", "STATE", "ATTEMPTS", "STATUS", "ERROR");
        for (JsonNode d : answer.path("deliveries")) {
            table.row(Format.time(Format.text(d, "at")), Format.text(d, "target"), Format.text(d, "event"),
                    Format.text(d, "loop_id"), Format.text(d, "state"), Format.text(d, "attempts"),
                    Format.text(d, "status"), Format.text(d, "error"));
        }
        if (answer.path("deliveries").isEmpty()) {
            err().println("no deliveries yet");
        } else {
            out().print(table);
        }
        out().println("delivered " + Format.text(answer, "delivered") + ", failed " + Format.text(answer, "failed")
                + ", dropped " + Format.text(answer, "dropped") + " (queue full)");
        out().flush();
        return ExitCode.OK;
    }
}
