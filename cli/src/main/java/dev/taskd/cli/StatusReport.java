package dev.taskd.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code taskd status} prints, from {@code GET /v1/status} read with {@link JsonText}: the
 * daemon's JSON for {@code --json}, else its version, uptime, generation, loop counts, limits and
 * (on PostgreSQL) the cluster's nodes for people. Both {@link StatusCommand} and the {@link FastPath} print through here, so the
 * output is the same whichever ran. Loops rather than lambdas, as in {@link JsonText}.
 */
final class StatusReport {

    static final List<String> STATES = List.of("queued", "running", "paused", "blocked", "awaiting_approval", "succeeded",
            "failed", "cancelled");

    private StatusReport() {
    }

    /** Asks the daemon and prints its answer on {@code out}; {@link ApiError} or {@link DaemonUnreachable} when that fails. */
    static int print(HttpExchange http, boolean json, PrintWriter out) {
        HttpExchange.Answer answer = http.send("GET", "/status", null, Map.of());
        if (!answer.success()) {
            throw HttpExchange.refusal("GET", "/status", answer);
        }
        Object status;
        try {
            status = answer.text().isBlank() ? Map.of() : JsonText.parse(answer.text());
        } catch (IllegalArgumentException e) {
            throw HttpExchange.notJson("GET", "/status", answer);
        }
        if (json) {
            out.println(JsonText.pretty(status));
        } else {
            printText(status, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void printText(Object status, PrintWriter out) {
        StringBuilder head = new StringBuilder("taskd ").append(text(status, "version"));
        Object uptime = JsonText.member(status, "uptime_seconds");
        if (uptime != null) {
            head.append(", up ").append(Format.duration(Duration.ofSeconds(JsonText.asLong(uptime, 0))));
        }
        head.append(", generation ").append(text(status, "generation"));
        out.println(head);
        if (JsonText.asBoolean(JsonText.member(status, "draining"), false)) {
            out.println("draining: finishing running iterations, taking no new loops");
        }
        Object drift = JsonText.member(status, "drift");
        if (drift != null && !Boolean.FALSE.equals(drift) && !isEmptyContainer(drift)) {
            out.println("drift: " + valueText(drift));
        }
        Object pending = JsonText.member(status, "pending");
        if (pending != null) {
            out.println("pending: " + JsonText.asText(pending) + " ('taskd reload --dry-run' shows it,"
                    + " 'taskd reload' applies it)");
        }
        out.println("loops: " + counts(JsonText.member(status, "loops")));
        out.println("limits: " + pairs(JsonText.member(status, "limits")));
        Object cluster = JsonText.member(status, "cluster");
        if (cluster != null) {
            out.println("cluster: this node " + text(cluster, "node") + "; loop counts are the cluster's,"
                    + " limits hold per node; configuration generation " + text(cluster, "head_generation")
                    + (JsonText.asBoolean(JsonText.member(cluster, "drift"), false) ? " (drift: a node lags or rejected it)"
                    : ", run by every node"));
            if (JsonText.member(cluster, "nodes") instanceof List<?> nodes) {
                for (Object node : nodes) {
                    out.println("  node " + text(node, "name") + " incarnation " + text(node, "incarnation") + ", "
                            + (JsonText.asBoolean(JsonText.member(node, "live"), false) ? "live" : "lease ended")
                            + (JsonText.asBoolean(JsonText.member(node, "draining"), false) ? ", draining" : "")
                            + ", lease until " + text(node, "lease_until") + ", " + text(node, "running") + " running"
                            + ", generation " + text(node, "applied_generation")
                            + (JsonText.member(node, "last_error") != null ? "; last error: " + text(node, "last_error")
                            : ""));
                }
            }
        }
    }

    /** Loops by state, the known states first, the ones with none left out. */
    private static String counts(Object loops) {
        Set<String> states = new LinkedHashSet<>(STATES);
        if (loops instanceof Map<?, ?> map) {
            for (Object state : map.keySet()) {
                states.add((String) state);
            }
        }
        List<String> parts = new ArrayList<>();
        for (String state : states) {
            long count = JsonText.asLong(JsonText.member(loops, state), 0);
            if (count > 0) {
                parts.add(count + " " + state);
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String pairs(Object object) {
        List<String> parts = new ArrayList<>();
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> field : map.entrySet()) {
                parts.add(((String) field.getKey()).replace('_', '-') + " " + valueText(field.getValue()));
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** A member's text as {@link Format#text} has it: null when missing or null. */
    private static String text(Object object, String name) {
        Object value = JsonText.member(object, name);
        return value == null ? null : valueText(value);
    }

    /** A value as text, a container as compact JSON. */
    private static String valueText(Object value) {
        return value instanceof Map<?, ?> || value instanceof List<?> ? JsonText.compact(value) : JsonText.asText(value);
    }

    private static boolean isEmptyContainer(Object value) {
        return value instanceof Map<?, ?> map && map.isEmpty() || value instanceof List<?> list && list.isEmpty();
    }
}
