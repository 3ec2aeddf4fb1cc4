package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a config value must look like. A closed set, so that binding ({@link TypedValues}) can
 * switch over it exhaustively. Each rule says in words what it expects, for error messages.
 */
public sealed interface ValueRule {

    /** In words, after "must be": {@code "an integer from 1 to 1000000"}. */
    String expected();

    boolean accepts(JsonNode value);

    /** A string; {@code pattern} (when not null) must match the whole of it. */
    record Text(Pattern pattern, String expected) implements ValueRule {
        public boolean accepts(JsonNode value) {
            return value.isTextual() && (pattern == null || pattern.matcher(value.asText()).matches());
        }
    }

    record Flag() implements ValueRule {
        public String expected() {
            return "true or false";
        }

        public boolean accepts(JsonNode value) {
            return value.isBoolean();
        }
    }

    record Whole(long min, long max) implements ValueRule {
        public String expected() {
            return "an integer from " + min + " to " + max;
        }

        public boolean accepts(JsonNode value) {
            return value.isIntegralNumber() && value.canConvertToLong()
                    && value.asLong() >= min && value.asLong() <= max;
        }
    }

    /** A number, whole or not, from {@code min} to {@code max}: a price, a budget. */
    record Decimal(double min, double max) implements ValueRule {
        public String expected() {
            return "a number from " + TomlText.decimal(min) + " to " + TomlText.decimal(max);
        }

        public boolean accepts(JsonNode value) {
            return value.isNumber() && value.asDouble() >= min && value.asDouble() <= max;
        }
    }

    /**
     * LLM prices by model name: {@code { "MODEL" = { input = 3.0, output = 15.0 } }}, in money per
     * million tokens. One key, not a table of keys, because model names hold dots ({@code gpt-4.1}).
     */
    record Prices() implements ValueRule {
        public String expected() {
            return "a table of \"MODEL\" = { input = N, output = N }, prices per million tokens, each from 0";
        }

        public boolean accepts(JsonNode value) {
            if (!value.isObject()) {
                return false;
            }
            for (JsonNode price : value) {
                if (!accepts(price, "input") || !accepts(price, "output") || price.size() != 2) {
                    return false;
                }
            }
            return true;
        }

        /** Whether one model's {@code input} or {@code output} price is a number from 0. */
        static boolean accepts(JsonNode price, String direction) {
            return price.path(direction).isNumber() && price.path(direction).asDouble() >= 0;
        }
    }

    /** A duration string with units; see {@link Durations}. */
    record Span(Duration min, Duration max) implements ValueRule {
        public String expected() {
            return "a duration from " + Durations.format(min) + " to " + Durations.format(max)
                    + ", written with a unit like \"250ms\", \"30s\" or \"5m\"";
        }

        public boolean accepts(JsonNode value) {
            return value.isTextual() && Durations.parse(value.asText())
                    .filter(d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0)
                    .isPresent();
        }
    }

    /** A size string with a binary unit; see {@link ByteSizes}. */
    record Size(long min, long max) implements ValueRule {
        public String expected() {
            return "a size from " + ByteSizes.format(min) + " to " + ByteSizes.format(max)
                    + ", written with a unit like \"64KiB\" or \"16MiB\"";
        }

        public boolean accepts(JsonNode value) {
            return value.isTextual() && ByteSizes.parse(value.asText()).filter(b -> b >= min && b <= max).isPresent();
        }
    }

    record OneOf(List<String> choices) implements ValueRule {
        public String expected() {
            return "one of " + String.join(", ", choices.stream().map(c -> '"' + c + '"').toList());
        }

        public boolean accepts(JsonNode value) {
            return value.isTextual() && choices.contains(value.asText());
        }
    }

    record TextList() implements ValueRule {
        public String expected() {
            return "an array of strings";
        }

        public boolean accepts(JsonNode value) {
            if (!value.isArray()) {
                return false;
            }
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A string this system accepts as a path: no NUL, nothing the file-name encoding cannot
     * represent. Binding resolves it, which must not throw.
     */
    record PathName() implements ValueRule {
        public String expected() {
            return "a string that can name a file (no NUL or unencodable characters)";
        }

        public boolean accepts(JsonNode value) {
            return value.isTextual() && namesPath(value.asText());
        }
    }

    /** An array of {@link PathName}s. */
    record PathNames() implements ValueRule {
        public String expected() {
            return "an array of strings that can name directories (no NUL or unencodable characters)";
        }

        public boolean accepts(JsonNode value) {
            if (!value.isArray()) {
                return false;
            }
            for (JsonNode element : value) {
                if (!new PathName().accepts(element)) {
                    return false;
                }
            }
            return true;
        }
    }

    static boolean namesPath(String text) {
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    record WholeList(long min, long max) implements ValueRule {
        public String expected() {
            return "an array of integers from " + min + " to " + max;
        }

        public boolean accepts(JsonNode value) {
            if (!value.isArray() || value.isEmpty()) {
                return false;
            }
            Whole element = new Whole(min, max);
            for (JsonNode e : value) {
                if (!element.accepts(e)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A table whose keys are declared by other entries of the key table. */
    record Table() implements ValueRule {
        public String expected() {
            return "a table";
        }

        public boolean accepts(JsonNode value) {
            return value.isObject();
        }
    }

    /** A loop type's inputs: names, or tables with a name; checked in detail by {@link LoopTypeInputs}. */
    record Inputs() implements ValueRule {
        public String expected() {
            return "an array of input names or { name = \"...\", default = \"...\" } tables";
        }

        public boolean accepts(JsonNode value) {
            if (!value.isArray()) {
                return false;
            }
            for (JsonNode element : value) {
                if (!element.isTextual() && !element.isObject()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** How a found value reads in a message: {@code string "ten"}, {@code integer 30}. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "string \"" + value.asText() + '"';
        }
        if (value.isIntegralNumber()) {
            return "integer " + value.asText();
        }
        if (value.isNumber()) {
            return "number " + value.asText();
        }
        if (value.isBoolean()) {
            return "boolean " + value.asText();
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "a table" : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
