package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code taskd status}: the daemon's version, uptime, generation, loop counts and limits. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {"Show what the daemon is doing: version, uptime, configuration generation,", "loops by state and limits.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the daemon answered", "  1  it answered with an error", "  3  no daemon answered"})
final class StatusCommand extends ClientCommand {

    static final List<String> STATES = List.of("queued", "running", "paused", "blocked", "succeeded", "failed", "cancelled");

    @Override
    public Integer call() {
        JsonNode status = client().get("/status");
        if (json()) {
            printJson(status);
            return ExitCode.OK;
        }
        StringBuilder head = new StringBuilder("taskd ").append(Format.text(status, "version"));
        if (status.hasNonNull("uptime_seconds")) {
            head.append(", up ").append(Format.duration(Duration.ofSeconds(status.get("uptime_seconds").asLong())));
        }
        head.append(", generation ").append(Format.text(status, "generation"));
        out().println(head);
        if (status.path("draining").asBoolean(false)) {
            out().println("draining: finishing running iterations, taking no new loops");
        }
        JsonNode drift = status.get("drift");
        if (drift != null && !drift.isNull() && !(drift.isBoolean() && !drift.asBoolean())
                && !(drift.isContainerNode() && drift.isEmpty())) {
            out().println("drift: " + (drift.isValueNode() ? drift.asText() : drift.toString()));
        }
        if (status.hasNonNull("pending")) {
            out().println("pending: " + status.get("pending").asText() + " ('taskd reload --dry-run' shows it,"
                    + " 'taskd reload' applies it)");
        }
        out().println("loops: " + counts(status.path("loops")));
        out().println("limits: " + pairs(status.path("limits")));
        out().flush();
        return ExitCode.OK;
    }

    private static String counts(JsonNode loops) {
        Set<String> states = new LinkedHashSet<>(STATES);
        loops.fieldNames().forEachRemaining(states::add);
        List<String> parts = new ArrayList<>();
        for (String state : states) {
            long count = loops.path(state).asLong(0);
            if (count > 0) {
                parts.add(count + " " + state);
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String pairs(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.fields().forEachRemaining(field -> parts.add(field.getKey().replace('_', '-') + " "
                + (field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString())));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
