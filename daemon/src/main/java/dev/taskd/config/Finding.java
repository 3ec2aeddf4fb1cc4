package dev.taskd.config;

import dev.taskd.source.Position;
import java.util.Comparator;
import java.util.Objects;

/**
 * One thing validation found, located in a source file.
 *
 * <p>The text form is the compiler convention every editor understands:
 * {@code loop-types/fix.toml:7:1: unknown key 'max-iteration'; did you mean 'max-iterations'?}.
 *
 * @param file     the file as shown to the user (relative to the display base where it lies under it)
 * @param position where in the file; {@link Position#START} for findings about a whole file
 * @param message  what is wrong and what was expected
 * @param fix      how to fix it, or empty when there is no single fix
 */
public record Finding(String file, Position position, Severity severity, String message, String fix) {

    /** Findings in reading order: by file, then line and column, then text. */
    public static final Comparator<Finding> READING_ORDER = Comparator.comparing(Finding::file)
            .thenComparing(Finding::position)
            .thenComparing(Finding::message);

    public Finding {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public static Finding error(String file, Position position, String message, String fix) {
        return new Finding(file, position, Severity.ERROR, message, fix);
    }

    public static Finding warning(String file, Position position, String message, String fix) {
        return new Finding(file, position, Severity.WARNING, message, fix);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        String prefix = severity == Severity.WARNING ? "warning: " : "";
        String suffix = fix.isEmpty() ? "" : "; " + fix;
        return file + ":" + position + ": " + prefix + message + suffix;
    }
}
