package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.template.TemplateVariables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a loop type's {@code inputs}: each element a name ({@code "task"}) or a table
 * ({@code { name = "workdir", default = ".", description = "..." }}). An input without a default
 * is required at submission.
 */
final class LoopTypeInputs {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final List<String> TABLE_KEYS = List.of("name", "default", "description");

    private LoopTypeInputs() {
    }

    static List<LoopType.Input> read(LoopTypeResolver.Located inputs, List<Finding> findings) {
        List<LoopType.Input> read = new ArrayList<>();
        if (inputs == null || !inputs.value().isArray()) {
            return read;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.value().size(); i++) {
            String path = inputs.path() + "[" + i + "]";
            LoopType.Input input = element(inputs.value().get(i), inputs.origin(), path, findings);
            if (input == null) {
                continue;
            }
            if (!seen.add(input.name())) {
                report(findings, inputs.origin(), path, "input '" + input.name() + "' is declared twice", "remove one");
            } else if (TemplateVariables.BUILT_INS.contains(input.name())
                    && !TemplateVariables.OVERRIDABLE.contains(input.name())) {
                report(findings, inputs.origin(), path,
                        "input '" + input.name() + "' has the name of a built-in template variable", "rename it");
            } else {
                read.add(input);
            }
        }
        return List.copyOf(read);
    }

    private static LoopType.Input element(JsonNode element, TomlDocument origin, String path, List<Finding> findings) {
        if (element.isTextual()) {
            return named(element.asText(), null, "", origin, path, findings);
        }
        for (Map.Entry<String, JsonNode> field : element.properties()) {
            if (!TABLE_KEYS.contains(field.getKey())) {
                report(findings, origin, path + "." + field.getKey(), "unknown key '" + field.getKey() + "' in an input",
                        DidYouMean.hint(field.getKey(), TABLE_KEYS));
            }
        }
        JsonNode name = element.get("name");
        if (name == null || !name.isTextual()) {
            report(findings, origin, path, "an input table needs name = \"...\"", "");
            return null;
        }
        JsonNode defaultValue = element.get("default");
        if (defaultValue != null && !defaultValue.isValueNode()) {
            report(findings, origin, path + ".default", "an input's default must be a string, number or boolean; found "
                    + ValueRule.describe(defaultValue), "");
            return null;
        }
        JsonNode description = element.get("description");
        return named(name.asText(), defaultValue == null ? null : defaultValue.asText(),
                description == null ? "" : description.asText(), origin, path, findings);
    }

    private static LoopType.Input named(String name, String defaultValue, String description, TomlDocument origin,
                                        String path, List<Finding> findings) {
        if (!NAME.matcher(name).matches()) {
            report(findings, origin, path, "input name '" + name + "' must be letters, digits, '-' or '_', "
                    + "starting with a letter or '_'", "");
            return null;
        }
        return new LoopType.Input(name, defaultValue, description);
    }

    private static void report(List<Finding> findings, TomlDocument origin, String path, String message, String fix) {
        findings.add(Finding.error(origin.source().display(), origin.positionOf(path), message, fix));
    }
}
