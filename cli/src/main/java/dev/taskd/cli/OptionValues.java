package dev.taskd.cli;

import dev.taskd.config.Durations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli's types cannot express, made before the daemon is asked:
 * a bad value is a usage error (exit 2) whether or not a daemon answers. Each message names the
 * option, the value and what it takes.
 */
final class OptionValues {

    private OptionValues() {
    }

    /** {@code value} (null: not given) must be one of {@code allowed}. */
    static void oneOf(CommandSpec spec, String option, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw new ParameterException(spec.commandLine(), option + " is one of " + String.join(", ", allowed)
                    + "; found '" + value + "'");
        }
    }

    /** {@code value} (null: not given) must be an ISO-8601 time or an age like {@code 1h}, as the API takes. */
    static void timeOrAge(CommandSpec spec, String option, String value) {
        if (value == null || Durations.parse(value).isPresent()) {
            return;
        }
        try {
            Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " takes an ISO-8601 time"
                    + " (2026-05-01T12:00:00Z) or an age (90s, 1h, 2d); found '" + value + "'");
        }
    }
}
