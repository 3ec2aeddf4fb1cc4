package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a parsed TOML file against its rows of the key table: unknown keys (with a suggestion),
 * values of the wrong type or out of range, missing required keys. Reports every finding, not
 * the first; each is located at the key it is about.
 */
final class KeyChecker {

    private final TomlDocument document;
    private final List<ConfigKey> rows;
    private final List<Finding> findings;

    private KeyChecker(TomlDocument document, List<ConfigKey> rows, List<Finding> findings) {
        this.document = document;
        this.rows = rows;
        this.findings = findings;
    }

    /** Adds to {@code findings} everything wrong with the keys of {@code document}. */
    static void check(TomlDocument document, List<ConfigKey> rows, List<Finding> findings) {
        new KeyChecker(document, rows, findings).walk(document.tree(), "");
    }

    private void walk(ObjectNode table, String path) {
        for (Map.Entry<String, JsonNode> field : table.properties()) {
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            Optional<ConfigKey> row = ConfigKeys.find(rows, child);
            if (row.isEmpty()) {
                unknownKey(child);
            } else if (!row.get().rule().accepts(field.getValue())) {
                wrongValue(child, row.get(), field.getValue());
            } else if (field.getValue() instanceof ObjectNode nested && row.get().rule() instanceof ValueRule.Table) {
                walk(nested, child);
            }
        }
        requireKeys(table, path);
    }

    private void unknownKey(String path) {
        String parent = parentOf(path);
        String name = path.substring(parent.isEmpty() ? 0 : parent.length() + 1);
        List<String> siblings = rows.stream()
                .filter(row -> !row.name().equals("*") && ConfigKey.patternMatches(row.parentPath(), parent))
                .map(row -> prefixed(parent, row.name()))
                .toList();
        String fix = DidYouMean.hint(path, siblings);
        if (fix.isEmpty()) {
            fix = rows.stream()
                    .filter(row -> row.name().equals(name) && !row.parentPath().isEmpty())
                    .findFirst()
                    .map(row -> "'" + name + "' belongs in [" + row.parentPath() + "]")
                    .orElse("");
        }
        if (fix.isEmpty()) {
            fix = otherFileHint(path);
        }
        report(path, "unknown key '" + path + "'", fix);
    }

    /** A key of taskd.toml written in a loop type, or the other way round. */
    private String otherFileHint(String path) {
        if (rows == ConfigKeys.LOOP_TYPE && ConfigKeys.taskd(path).isPresent()) {
            return "'" + path + "' is set in taskd.toml, not in a loop type";
        }
        if (rows == ConfigKeys.TASKD && ConfigKeys.loopType(path).isPresent()) {
            return "'" + path + "' is a loop-type key; set it in loop-types/NAME.toml";
        }
        return "";
    }

    private void wrongValue(String path, ConfigKey row, JsonNode value) {
        String fix = "";
        if (row.rule() instanceof ValueRule.Span && value.isIntegralNumber()) {
            fix = unitFix("durations", row.rule(), value.asText(), DURATION_UNITS);
        } else if (row.rule() instanceof ValueRule.Size && value.isIntegralNumber()) {
            fix = unitFix("sizes", row.rule(), value.asText(), SIZE_UNITS);
        } else if (row.rule() instanceof ValueRule.OneOf oneOf && value.isTextual()) {
            fix = DidYouMean.hint(value.asText(), oneOf.choices());
        }
        report(path, "'" + path + "' must be " + row.rule().expected() + "; found " + offending(row.rule(), value), fix);
    }

    /** Units to suggest for a bare number, in the order tried: the first that puts it in range wins. */
    private static final List<String[]> DURATION_UNITS = List.of(new String[] {"s", "seconds"},
            new String[] {"ms", "milliseconds"}, new String[] {"m", "minutes"}, new String[] {"h", "hours"});
    private static final List<String[]> SIZE_UNITS = List.of(new String[] {"B", "bytes"},
            new String[] {"KiB", "KiB"}, new String[] {"MiB", "MiB"}, new String[] {"GiB", "GiB"});

    /**
     * The fix for a bare number where a unit is needed: the number with the first unit that the
     * key's range accepts ({@code debounce = 250} gets "250ms", never an out-of-range "250s").
     */
    private static String unitFix(String what, ValueRule rule, String number, List<String[]> units) {
        for (String[] unit : units) {
            if (rule.accepts(TextNode.valueOf(number + unit[0]))) {
                return what + " need a unit: write \"" + number + unit[0] + "\" for " + unit[1];
            }
        }
        return what + " need a unit, and " + number + " is out of the range above in every unit";
    }

    /** The value as found, or for an array of the right shape, its first element that is wrong. */
    private static String offending(ValueRule rule, JsonNode value) {
        if (rule instanceof ValueRule.WholeList list && value.isArray()) {
            ValueRule.Whole element = new ValueRule.Whole(list.min(), list.max());
            for (JsonNode e : value) {
                if (!element.accepts(e)) {
                    return ValueRule.describe(e) + " in the array";
                }
            }
            return value.isEmpty() ? "an empty array" : ValueRule.describe(value);
        }
        if ((rule instanceof ValueRule.TextList || rule instanceof ValueRule.PathNames) && value.isArray()) {
            for (JsonNode e : value) {
                if (!e.isTextual() || !ValueRule.namesPath(e.asText())) {
                    return ValueRule.describe(e) + " in the array";
                }
            }
        }
        if (rule instanceof ValueRule.Prices && value.isObject()) {
            for (Map.Entry<String, JsonNode> model : value.properties()) {
                JsonNode price = model.getValue();
                for (String direction : List.of("input", "output")) {
                    if (!price.isObject() || !ValueRule.Prices.accepts(price, direction)) {
                        return "\"" + model.getKey() + "\" with " + direction + " = "
                                + (price.has(direction) ? ValueRule.describe(price.get(direction)) : "nothing");
                    }
                }
                if (price.size() != 2) {
                    return "\"" + model.getKey() + "\" with keys besides input and output";
                }
            }
        }
        return ValueRule.describe(value);
    }

    private void requireKeys(ObjectNode table, String path) {
        for (ConfigKey row : rows) {
            if (row.required() && ConfigKey.patternMatches(row.parentPath(), path) && !table.has(row.name())) {
                String where = path.isEmpty() ? "the file" : "[" + path + "]";
                report(path, where + " lacks the required key '" + row.name() + "'",
                        "add " + row.name() + " = ..., which must be " + row.rule().expected());
            }
        }
    }

    private void report(String path, String message, String fix) {
        findings.add(Finding.error(document.source().display(), document.positionOf(path), message, fix));
    }

    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static String prefixed(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }
}
