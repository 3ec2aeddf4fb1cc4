package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Small formatting helpers shared by the client commands; every helper accepts missing fields. */
final class Format {

    private Format() {
    }

    /** The text of a field, or null when it is missing or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    /** At most the first {@code length} characters. */
    static String first(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }

    /** An ISO-8601 instant to the second, such as {@code 2025-01-02T03:04:05Z}; other text as is. */
    static String time(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The time between two ISO-8601 instants, as {@link #duration(Duration)}; null when either is missing. */
    static String between(String startIso, String endIso) {
        if (startIso == null || endIso == null) {
            return null;
        }
        try {
            return duration(Duration.between(Instant.parse(startIso), Instant.parse(endIso)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 1.2 s} under a minute, else {@code 3m 4s}, {@code 2h 5m}, {@code 1d 3h}. */
    static String duration(Duration duration) {
        if (duration.isNegative()) {
            duration = Duration.ZERO;
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86400 + "d " + seconds % 86400 / 3600 + "h";
    }

    /** The states after which a loop never changes again. */
    static boolean terminal(String state) {
        return "succeeded".equals(state) || "failed".equals(state) || "cancelled".equals(state);
    }

    /** {@code loop ID (TYPE): STATE}, and the reason when there is one that says more than the state. */
    static String loopLine(JsonNode loop) {
        return loopLine(loop, Colour.none());
    }

    /** As {@link #loopLine(JsonNode)}, the state in {@code colour}. */
    static String loopLine(JsonNode loop, Colour colour) {
        String reason = text(loop, "reason");
        String state = text(loop, "state");
        return "loop " + text(loop, "id") + " (" + text(loop, "type") + "): " + colour.state(state)
                + (reason == null || reason.isBlank() || reason.equals(state) ? "" : " (" + reason + ")");
    }

    /** {@code iteration 2: failed (exit 1, 1.2 s)}, and the error on a second line when there is one. */
    static String iterationLine(JsonNode iteration) {
        StringBuilder line = new StringBuilder("iteration ").append(text(iteration, "number")).append(": ")
                .append(text(iteration, "outcome"));
        String exit = text(iteration, "validation_exit_code");
        String took = between(text(iteration, "started_at"), text(iteration, "ended_at"));
        if (exit != null || took != null) {
            line.append(" (");
            if (exit != null) {
                line.append("exit ").append(exit).append(took == null ? "" : ", ");
            }
            line.append(took == null ? "" : took).append(")");
        }
        String error = text(iteration, "error");
        if (error != null && !error.isBlank()) {
            line.append(System.lineSeparator()).append("  error: ").append(error.strip().replace("\n", "\n    "));
        }
        return line.toString();
    }

    /** {@code IN/OUT} tokens, or null when the iteration used none. */
    static String tokens(JsonNode iteration) {
        long in = iteration.path("tokens_in").asLong(0);
        long out = iteration.path("tokens_out").asLong(0);
        return in == 0 && out == 0 ? null : in + "/" + out;
    }
}
