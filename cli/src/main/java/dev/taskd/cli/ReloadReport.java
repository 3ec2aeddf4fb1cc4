package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints a reload event or a dry-run plan for people: verdict, diff table, findings, loops. */
final class ReloadReport {

    private ReloadReport() {
    }

    static void print(PrintWriter out, JsonNode answer) {
        if (answer.path("dry_run").asBoolean(false)) {
            String verdict = answer.path("verdict").asText();
            out.println(switch (verdict) {
                case "apply" -> "would apply: generation " + answer.path("generation").asText();
                case "unchanged" -> "unchanged: the files match generation " + answer.path("generation").asText();
                default -> "would reject: " + answer.path("reason").asText();
            });
        } else {
            String result = answer.path("result").asText();
            String line = result + ": generation " + answer.path("generation_before").asText() + " -> "
                    + answer.path("generation_after").asText() + " (" + answer.path("duration_ms").asText() + " ms)";
            out.println(line);
            if (answer.hasNonNull("reason")) {
                out.println("reason: " + answer.get("reason").asText());
            }
            if (answer.hasNonNull("error")) {
                out.println("error: " + answer.get("error").asText() + " (rollback performed: "
                        + answer.path("rollback_performed").asText() + ")");
            }
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
        for (JsonNode finding : answer.path("findings")) {
            out.println(finding.path("text").asText());
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
        out.flush();
    }

    private static String value(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
