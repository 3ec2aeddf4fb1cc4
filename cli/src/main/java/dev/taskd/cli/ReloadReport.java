package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Prints a reload event or a plan for people, in the order they read a change: what the verdict
 * is, each changed file as a unified diff (like {@code kubectl diff}), the changed keys with their
 * scopes, findings and warnings, and what happens to each running and queued loop.
 */
final class ReloadReport {

    private ReloadReport() {
    }

    static void print(PrintWriter out, JsonNode answer, Colour colour) {
        if (answer.path("dry_run").asBoolean(false)) {
            out.println(colour.paint(Colour.BOLD, verdict(answer)));
            if (answer.path("pending").asBoolean(false)) {
                out.println("pending since " + answer.path("planned_at").asText() + " (noticed by "
                        + answer.path("trigger").asText() + "); 'taskd reload' applies it");
            }
        } else {
            out.println(colour.paint(Colour.BOLD, answer.path("result").asText() + ": generation "
                    + answer.path("generation_before").asText() + " -> " + answer.path("generation_after").asText()
                    + " (" + answer.path("duration_ms").asText() + " ms)"));
            if (answer.hasNonNull("reason")) {
                out.println("reason: " + answer.get("reason").asText());
            }
            if (answer.hasNonNull("error")) {
                out.println("error: " + answer.get("error").asText() + " (rollback performed: "
                        + answer.path("rollback_performed").asText() + ")");
            }
        }
        for (JsonNode file : answer.path("files")) {
            out.println();
            diff(out, file.path("diff").asText(), colour);
        }
        if (!answer.path("changes").isEmpty()) {
            Table table = new Table("KEY", "OLD", "NEW", "SCOPE");
            for (JsonNode change : answer.get("changes")) {
                table.row(change.path("key").asText(), value(change.get("old")), value(change.get("new")),
                        change.path("scope").asText());
            }
            out.println();
            table.lines().forEach(out::println);
        }
        if (!answer.path("findings").isEmpty() || !answer.path("warnings").isEmpty()) {
            out.println();
        }
        for (JsonNode finding : answer.path("findings")) {
            out.println(colour.paint(Colour.RED, finding.path("text").asText()));
        }
        for (JsonNode warning : answer.path("warnings")) {
            out.println("warning: " + warning.asText());
        }
        if (!answer.path("loops").isEmpty()) {
            out.println();
            Table loops = new Table("LOOP", "TYPE", "EFFECT", "DETAIL");
            for (JsonNode loop : answer.get("loops")) {
                loops.row(loop.path("loop_id").asText(), loop.path("type").asText(), loop.path("effect").asText(),
                        loop.path("detail").asText());
            }
            loops.lines().forEach(out::println);
        }
        if (!answer.path("schedules").isEmpty()) {
            out.println();
            for (JsonNode schedule : answer.get("schedules")) {
                out.println("schedule " + schedule.path("name").asText() + ": " + schedule.path("summary").asText());
            }
        }
        out.flush();
    }

    private static String verdict(JsonNode plan) {
        String base = plan.path("base_generation").asText(plan.path("generation").asText());
        return switch (plan.path("verdict").asText()) {
            case "apply" -> "would apply: generation " + base + " -> " + plan.path("generation").asText();
            case "unchanged" -> "unchanged: the files match generation " + base;
            default -> "would reject: " + plan.path("reason").asText();
        };
    }

    private static void diff(PrintWriter out, String unified, Colour colour) {
        for (String line : unified.split("\n")) {
            if (line.startsWith("+++") || line.startsWith("---")) {
                out.println(colour.paint(Colour.BOLD, line));
            } else if (line.startsWith("@@")) {
                out.println(colour.paint(Colour.CYAN, line));
            } else if (line.startsWith("+")) {
                out.println(colour.paint(Colour.GREEN, line));
            } else if (line.startsWith("-")) {
                out.println(colour.paint(Colour.RED, line));
            } else {
                out.println(line);
            }
        }
    }

    private static String value(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
