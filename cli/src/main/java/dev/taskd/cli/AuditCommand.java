package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskd audit [filters] [--follow]}: the reload history from the hash-chained audit log. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = {"Show the audit log: every reload, rollback and repair, oldest first.",
            "'taskd audit verify' checks its hash chain; 'taskd audit export' writes it out as JSON lines",
            "for offline checks.", ""},
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  shown", "  1  the daemon refused", "  2  a bad option value", "  3  no daemon answered"})
final class AuditCommand extends ClientCommand {

    static final List<String> RESULTS = List.of("applied", "failed", "rejected", "unchanged");
    static final List<String> SCOPES = List.of("monitoring", "templates", "limits", "loop-types", "full");

    @Option(names = "--since", paramLabel = "WHEN", description = "entries from then on: an ISO-8601 time or an age like 1h")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "entries before then")
    String until;

    @Option(names = "--result", description = "applied, failed, rejected or unchanged")
    String result;

    @Option(names = "--scope", description = "monitoring, templates, limits, loop-types or full")
    String scope;

    @Option(names = "--key", description = "entries changing this key or keys under it (limits, loop-types.fix)")
    String key;

    @Option(names = "--type", description = "entries changing this loop type")
    String type;

    @Option(names = "--limit", defaultValue = "100", description = "at most this many entries (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--follow", description = "keep printing new entries as they are written")
    boolean follow;

    /**
     * Prints the entries: a table for people; with {@code --json} the API's envelope
     * {@code {"entries": [...]}}, or with {@code --follow} one entry per line as each comes (JSON lines).
     */
    @Override
    public Integer call() throws InterruptedException {
        OptionValues.timeOrAge(spec, "--since", since);
        OptionValues.timeOrAge(spec, "--until", until);
        OptionValues.oneOf(spec, "--result", result, RESULTS);
        OptionValues.oneOf(spec, "--scope", scope, SCOPES);
        long after = 0;
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        do {
            JsonNode entries = client().get("/audit" + DaemonClient.query(filters(after))).path("entries");
            for (JsonNode entry : entries) {
                after = Math.max(after, entry.path("seq").asLong());
                if (json() && !follow) {
                    all.add(entry);
                } else if (json()) {
                    out().println(entry.toString());
                } else {
                    out().println(line(entry));
                }
            }
            out().flush();
            if (follow) {
                Thread.sleep(1000);
            }
        } while (follow);
        if (json()) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            envelope.set("entries", all);
            printJson(envelope);
        }
        return ExitCode.OK;
    }

    private Map<String, Object> filters(long after) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("since", since);
        filters.put("until", until);
        filters.put("result", result);
        filters.put("scope", scope);
        filters.put("key", key);
        filters.put("type", type);
        filters.put("limit", limit);
        filters.put("after", after == 0 ? null : after);
        return filters;
    }

    /** One entry on one line: when, what, the result and the keys it changed. */
    static String line(JsonNode entry) {
        StringBuilder line = new StringBuilder()
                .append(entry.path("seq").asText()).append("  ")
                .append(entry.path("ts").asText()).append("  ")
                .append(entry.path("kind").asText());
        if (entry.has("result")) {
            line.append(' ').append(entry.get("result").asText())
                    .append(" by ").append(entry.path("trigger").asText())
                    .append(", generation ").append(entry.path("generation_before").asText())
                    .append(" -> ").append(entry.path("generation_after").asText());
        }
        for (JsonNode change : entry.path("changes")) {
            line.append("\n      ").append(change.path("key").asText()).append(": ")
                    .append(text(change.get("old"))).append(" -> ").append(text(change.get("new")));
        }
        if (entry.hasNonNull("reason")) {
            line.append("\n      reason: ").append(entry.get("reason").asText());
        }
        return line.toString();
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
