package dev.taskd.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective keys of one resolved loop type, relative to {@code loop-types.NAME.}: every key of
 * {@link ConfigKeys#LOOP_TYPE} the type has. Always present: description, abstract, inputs,
 * max-iterations, iteration-timeout, delay, backoff, max-delay, on-reload, isolation, max-tokens, max-cost, approval, stall-after.
 * Present only when the type has them: its action ({@code script} or {@code command}), its prompt
 * ({@code template} or {@code prompt}), and {@code validation.*}.
 *
 * <p>{@code script} reads {@code "fix.js@0123456789ab"}: the file name, {@code @}, and the first 12
 * hex digits of the script's SHA-256, so that a change of the script's content is a modification
 * of this key. A template's content is its own key ({@code templates.NAME}), not the type's.
 */
final class EffectiveLoopType {

    private EffectiveLoopType() {
    }

    static Map<String, String> of(LoopType type) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("description", TomlText.quote(type.description()));
        keys.put("abstract", String.valueOf(type.isAbstract()));
        switch (type.action()) {
            case LoopType.Script script -> keys.put("script", TomlText.quote(
                    script.source().fileName() + "@" + TomlText.shortHash(script.source().hash())));
            case LoopType.Command command -> keys.put("command", TomlText.quote(command.commandLine()));
            case LoopType.NoAction none -> { }
        }
        switch (type.prompt()) {
            case LoopType.TemplateRef template -> keys.put("template", TomlText.quote(template.templateName()));
            case LoopType.Inline inline -> keys.put("prompt", TomlText.quote(inline.text()));
            case LoopType.NoPrompt none -> { }
        }
        keys.put("inputs", inputs(type.inputs()));
        keys.put("max-iterations", String.valueOf(type.maxIterations()));
        keys.put("iteration-timeout", TomlText.duration(type.iterationTimeout()));
        keys.put("delay", TomlText.duration(type.delay()));
        keys.put("backoff", TomlText.constant(type.backoff()));
        keys.put("max-delay", TomlText.duration(type.maxDelay()));
        keys.put("on-reload", TomlText.constant(type.onReload()));
        keys.put("isolation", TomlText.constant(type.isolation()));
        keys.put("max-tokens", String.valueOf(type.maxTokens()));
        keys.put("max-cost", TomlText.decimal(type.gates().maxCost()));
        keys.put("approval", TomlText.constant(type.gates().approval()));
        keys.put("stall-after", String.valueOf(type.gates().stallAfter()));
        type.validation().ifPresent(validation -> {
            keys.put("validation.command", TomlText.quote(validation.command()));
            keys.put("validation.success-exit-codes",
                    TomlText.array(validation.successExitCodes().stream().map(String::valueOf).toList()));
            keys.put("validation.timeout", TomlText.duration(validation.timeout()));
        });
        return keys;
    }

    /**
     * Inputs in declaration order; an input with neither default nor description is its quoted
     * name ({@code "task"}), as {@code inputs = ["task"]} and {@code [{ name = "task" }]} mean the same.
     */
    private static String inputs(List<LoopType.Input> inputs) {
        List<String> elements = new ArrayList<>();
        for (LoopType.Input input : inputs) {
            if (input.required() && input.description().isEmpty()) {
                elements.add(TomlText.quote(input.name()));
                continue;
            }
            StringBuilder table = new StringBuilder("{ name = ").append(TomlText.quote(input.name()));
            if (!input.required()) {
                table.append(", default = ").append(TomlText.quote(input.defaultValue()));
            }
            if (!input.description().isEmpty()) {
                table.append(", description = ").append(TomlText.quote(input.description()));
            }
            elements.add(table.append(" }").toString());
        }
        return TomlText.array(elements);
    }
}
