package dev.taskd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (draft-07, which Taplo and most editors read) of {@code taskd.toml} and of a
 * loop-type file, made from the key table ({@link ConfigKeys}) alone, so that a key added there
 * appears in the schemas at the next {@code taskd schema --write schema}. A schema checks what a
 * value looks like — types, integer ranges, choices, the syntax of durations, sizes and addresses,
 * unknown and missing keys — not what needs more than one value or file (duration ranges,
 * references, scripts); {@code taskd validate} checks everything.
 */
public final class ConfigSchemas {

    /** The schemas' file names, as shipped under {@code schema/}. */
    public static final String TASKD_FILE = "taskd.schema.json";
    public static final String LOOP_TYPE_FILE = "loop-type.schema.json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String GENERATED = "Generated from the key table (ConfigKeys) by "
            + "'taskd schema --write schema'; do not edit: change the key table and run that again.";

    private ConfigSchemas() {
    }

    /** Each schema's file name and text, as it is to be written. */
    public static Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        files.put(TASKD_FILE, text(taskd()));
        files.put(LOOP_TYPE_FILE, text(loopType()));
        return files;
    }

    public static ObjectNode taskd() {
        return document("taskd.toml", "The daemon's configuration file (README, \"Configuration\").",
                ConfigKeys.TASKD);
    }

    public static ObjectNode loopType() {
        return document("taskd loop type", "A loop-types/NAME.toml file (README, \"Loop types\").",
                ConfigKeys.LOOP_TYPE);
    }

    private static ObjectNode document(String title, String description, List<ConfigKey> rows) {
        ObjectNode schema = JSON.objectNode()
                .put("$schema", "http://json-schema.org/draft-07/schema#")
                .put("$comment", GENERATED)
                .put("title", title)
                .put("description", description);
        schema.setAll(table(rows, ""));
        return schema;
    }

    /** The object schema of the table at {@code parent}: its keys, and which of them are required. */
    private static ObjectNode table(List<ConfigKey> rows, String parent) {
        ObjectNode table = JSON.objectNode().put("type", "object");
        ObjectNode properties = JSON.objectNode();
        ArrayNode required = JSON.arrayNode();
        ObjectNode anyName = null;
        for (ConfigKey row : rows) {
            if (!row.parentPath().equals(parent)) {
                continue;
            }
            ObjectNode value = value(rows, row);
            if (row.name().equals("*")) {
                anyName = value;
                continue;
            }
            properties.set(row.name(), value);
            if (row.required()) {
                required.add(row.name());
            }
        }
        if (!properties.isEmpty()) {
            table.set("properties", properties);
        }
        if (!required.isEmpty()) {
            table.set("required", required);
        }
        // Unknown keys are errors in taskd, so they are in the schema too; a table of names the
        // user chooses (limits.per-type, llm.providers) takes any name with the '*' row's value.
        table.set("additionalProperties", anyName == null ? JSON.booleanNode(false) : anyName);
        return table;
    }

    /** The schema of one key's value, with its meaning, reload scope and default. */
    private static ObjectNode value(List<ConfigKey> rows, ConfigKey row) {
        ObjectNode value = row.rule() instanceof ValueRule.Table ? table(rows, row.path()) : rule(row.rule());
        String expected = row.rule() instanceof ValueRule.Table ? "" : " Must be " + row.rule().expected() + ".";
        ObjectNode described = JSON.objectNode()
                .put("description", row.meaning() + "." + expected + " Reload scope: " + row.scope().label() + ".");
        if (row.defaultValue() != null && !(row.rule() instanceof ValueRule.Table)) {
            described.set("default", row.defaultValue());
        }
        described.setAll(value);
        return described;
    }

    private static ObjectNode rule(ValueRule rule) {
        return switch (rule) {
            case ValueRule.Text text -> text.pattern() == null ? type("string")
                    : type("string").put("pattern", whole(text.pattern().pattern()));
            case ValueRule.Flag flag -> type("boolean");
            case ValueRule.Whole range -> integer(range.min(), range.max());
            case ValueRule.Span span -> type("string").put("pattern", whole(Durations.SYNTAX));
            case ValueRule.Size size -> type("string").put("pattern", whole(ByteSizes.SYNTAX));
            case ValueRule.OneOf oneOf -> {
                ObjectNode choice = type("string");
                oneOf.choices().forEach(choice.putArray("enum")::add);
                yield choice;
            }
            case ValueRule.TextList list -> array(type("string"));
            case ValueRule.PathName path -> type("string");
            case ValueRule.PathNames paths -> array(type("string"));
            case ValueRule.WholeList list -> array(integer(list.min(), list.max())).put("minItems", 1);
            case ValueRule.Table table -> type("object");
            case ValueRule.Inputs inputs -> array(input());
            case ValueRule.Decimal range -> type("number").put("minimum", range.min()).put("maximum", range.max());
            case ValueRule.Prices prices -> prices();
        };
    }

    /** {@code "MODEL" = { input = N, output = N }}: per model, its prices per million tokens. */
    private static ObjectNode prices() {
        ObjectNode price = type("object");
        ObjectNode keys = price.putObject("properties");
        keys.set("input", type("number").put("minimum", 0).put("description", "per million input tokens"));
        keys.set("output", type("number").put("minimum", 0).put("description", "per million output tokens"));
        price.putArray("required").add("input").add("output");
        price.put("additionalProperties", false);
        ObjectNode byModel = type("object");
        byModel.set("additionalProperties", price);
        return byModel;
    }

    /** An element of {@code inputs}: a name, or a table of the keys {@link LoopTypeInputs} reads. */
    private static ObjectNode input() {
        ObjectNode named = type("object");
        ObjectNode keys = named.putObject("properties");
        keys.set("name", type("string").put("description", "the input's name, as templates use it"));
        ObjectNode defaultValue = keys.putObject("default")
                .put("description", "its value when a submission gives none; without one the input is required");
        defaultValue.putArray("type").add("string").add("number").add("boolean");
        keys.set("description", type("string").put("description", "one line for listings"));
        named.putArray("required").add("name");
        named.put("additionalProperties", false);
        ObjectNode either = JSON.objectNode();
        either.putArray("anyOf").add(type("string")).add(named);
        return either;
    }

    private static ObjectNode type(String name) {
        return JSON.objectNode().put("type", name);
    }

    private static ObjectNode integer(long min, long max) {
        return type("integer").put("minimum", min).put("maximum", max);
    }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode array = type("array");
        array.set("items", items);
        return array;
    }

    /** A Java pattern that must match the whole value, as a JSON Schema pattern (which may match a part). */
    private static String whole(String pattern) {
        return "^(" + pattern + ")$";
    }

    private static String text(ObjectNode schema) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
