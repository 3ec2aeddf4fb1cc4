package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskd loops show ID}: one loop and its iterations. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = {"Show a loop and its iterations.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  shown", "  1  no such loop, or the prefix matches several", "  3  no daemon answered"})
final class LoopsShowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the loop's id, or a unique prefix of it")
    String id;

    @Override
    public Integer call() {
        JsonNode loop = client().get("/loops/" + DaemonClient.segment(id));
        // The daemon resolved the prefix; ask for the iterations of exactly that loop.
        String fullId = Format.text(loop, "id") != null ? Format.text(loop, "id") : id;
        JsonNode iterations = client().get("/loops/" + DaemonClient.segment(fullId) + "/iterations").path("iterations");
        if (json()) {
            ObjectNode answer = DaemonClient.JSON.createObjectNode();
            answer.set("loop", loop);
            answer.set("iterations", iterations);
            printJson(answer);
            return ExitCode.OK;
        }
        Table fields = new Table("", "");
        fields.row("id:", fullId);
        fields.row("type:", Format.text(loop, "type") + " (version " + Format.first(Format.text(loop, "type_version"), 12) + ")");
        fields.row("state:", Colour.forStdout().state(Format.text(loop, "state")));
        fields.row("reason:", Format.text(loop, "reason"));
        fields.row("priority:", Format.text(loop, "priority"));
        fields.row("after:", join(loop.path("after")));
        fields.row("inputs:", pairs(loop.path("inputs")));
        if (loop.hasNonNull("schedule")) {
            fields.row("schedule:", Format.text(loop, "schedule"));
        }
        fields.row("iterations:", Format.text(loop, "iterations"));
        long tokensIn = loop.path("tokens_in").asLong();
        long tokensOut = loop.path("tokens_out").asLong();
        if (tokensIn + tokensOut > 0) {
            fields.row("tokens:", tokensIn + " in, " + tokensOut + " out");
        }
        if (loop.path("cost").asDouble() > 0) {
            fields.row("cost:", String.format(Locale.ROOT, "%.4f", loop.path("cost").asDouble()));
        }
        fields.row("workdir:", Format.text(loop, "workdir"));
        fields.row("created:", Format.time(Format.text(loop, "created_at")));
        fields.row("updated:", Format.time(Format.text(loop, "updated_at")));
        JsonNode data = loop.path("data");
        if (data.isContainerNode() && !data.isEmpty()) {
            fields.row("data:", data.toString());
        }
        for (JsonNode note : loop.path("notes")) {
            fields.row(note.path("action").asText() + ":", Format.time(Format.text(note, "at")) + " by "
                    + Format.text(note, "actor") + " after iteration " + Format.text(note, "iteration")
                    + (note.path("detail").isTextual() ? " (" + note.path("detail").asText() + ")" : ""));
        }
        fields.lines().stream().skip(1).forEach(out()::println);

        out().println();
        if (iterations.isEmpty()) {
            out().println("no iterations yet");
        } else {
            Table table = new Table("#", "OUTCOME", "EXIT", "DURATION", "ENDED", "TOKENS", "ERROR");
            for (JsonNode iteration : iterations) {
                table.row(Format.text(iteration, "number"), Format.text(iteration, "outcome"),
                        Format.text(iteration, "validation_exit_code"),
                        Format.between(Format.text(iteration, "started_at"), Format.text(iteration, "ended_at")),
                        Format.time(Format.text(iteration, "ended_at")), Format.tokens(iteration),
                        Format.text(iteration, "error"));
            }
            out().print(table);
        }
        out().flush();
        return ExitCode.OK;
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join(", ", items);
    }

    private static String pairs(JsonNode object) {
        List<String> items = new ArrayList<>();
        object.fields().forEachRemaining(field -> items.add(field.getKey() + "="
                + (field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString())));
        return String.join(", ", items);
    }
}
