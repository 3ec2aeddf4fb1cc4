package dev.taskd.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Canonical TOML-like spellings of effective values, so that two configurations that mean the same
 * thing give equal strings ({@code "1m"} and {@code "60s"} both read {@code "1m"}).
 */
final class TomlText {

    private TomlText() {
    }

    /** A TOML basic string: quoted, with backslash, quote and control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(c < 0x20 || c == 0x7F ? String.format("\\u%04X", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }

    /** A duration as {@link Durations#format} writes it, quoted: {@code "250ms"}. */
    static String duration(Duration duration) {
        return quote(Durations.format(duration));
    }

    /** A path as its absolute string, quoted; {@code ""} for none (null). */
    static String path(Path path) {
        return quote(path == null ? "" : path.toString());
    }

    /** An enum constant as config files spell it: {@code NEXT_ITERATION} → {@code "next-iteration"}. */
    static String constant(Enum<?> constant) {
        return quote(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** A number as its shortest exact spelling: {@code 3}, {@code 0.25}; equal values read equal. */
    static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Already-canonical elements as a TOML array: {@code ["a", "b"]}, {@code []}. */
    static String array(List<String> elements) {
        return elements.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    static String paths(List<Path> paths) {
        return array(paths.stream().map(TomlText::path).toList());
    }

    /** The first 12 hex digits of a SHA-256: enough to tell contents apart in a diff. */
    static String shortHash(String hash) {
        return hash.substring(0, 12);
    }
}
