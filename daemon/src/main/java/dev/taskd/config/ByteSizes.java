package dev.taskd.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as written in config files: a whole number with a binary unit, {@code "512KiB"}, {@code "16MiB"}. */
public final class ByteSizes {

    /** The syntax as one regular expression, also for the JSON Schemas ({@link ConfigSchemas}). */
    static final String SYNTAX = "([0-9]{1,12})(B|KiB|MiB|GiB)";
    private static final Pattern SIZE = Pattern.compile(SYNTAX);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB"};

    private ByteSizes() {
    }

    /** The bytes {@code text} names, or empty when it is not a number with one of the units. */
    public static Optional<Long> parse(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        int shift = switch (m.group(2)) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            default -> 30;
        };
        long amount = Long.parseLong(m.group(1));
        return amount > (Long.MAX_VALUE >> shift) ? Optional.empty() : Optional.of(amount << shift);
    }

    /** The largest unit that writes {@code bytes} exactly: {@code 16MiB}, {@code 1536KiB}, {@code 100B}. */
    public static String format(long bytes) {
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes != 0 && bytes % 1024 == 0) {
            bytes /= 1024;
            unit++;
        }
        return bytes + UNITS[unit];
    }
}
