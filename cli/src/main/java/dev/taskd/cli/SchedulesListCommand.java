package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code taskd schedules list}: the schedules in force, with their next fire times. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {"List the schedules: NAME, TYPE, TIMING, OVERLAP, NEXT FIRE, LAST FIRE, LAST LOOP, FIRED,"
                + " SKIPPED.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  listed", "  1  the daemon refused", "  3  no daemon answered"})
final class SchedulesListCommand extends ClientCommand {

    @Override
    public Integer call() {
        JsonNode answer = client().get("/schedules");
        if (json()) {
            printJson(answer);
            return ExitCode.OK;
        }
        JsonNode schedules = answer.path("schedules");
        if (schedules.isEmpty()) {
            err().println("no schedules configured; add [schedules.NAME] to taskd.toml");
            return ExitCode.OK;
        }
        Table table = new Table("NAME", "TYPE", "TIMING", "OVERLAP", "NEXT FIRE", "LAST FIRE", "LAST LOOP", "FIRED",
                "SKIPPED");
        for (JsonNode schedule : schedules) {
            table.row(Format.text(schedule, "name"), Format.text(schedule, "type"), Format.text(schedule, "timing"),
                    Format.text(schedule, "overlap"), Format.time(Format.text(schedule, "next_fire")),
                    Format.time(Format.text(schedule, "last_fire")), Format.text(schedule, "last_loop"),
                    Format.text(schedule, "fired"), Format.text(schedule, "skipped"));
        }
        out().print(table);
        for (JsonNode schedule : schedules) {
            if (schedule.hasNonNull("last_error")) {
                err().println("schedule " + Format.text(schedule, "name") + ": last fire failed: "
                        + Format.text(schedule, "last_error"));
            }
        }
        out().flush();
        return ExitCode.OK;
    }
}
