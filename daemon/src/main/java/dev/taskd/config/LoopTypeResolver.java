package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.source.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code extends}: each loop type's keys merged over those of the types it extends.
 *
 * <p>Merge rules: a type's own key wins over an inherited one, key by key, inside
 * {@code [validation]} too. The action ({@code script} or {@code command}) and the prompt
 * ({@code template} or {@code prompt}) are each one choice: setting either member replaces the
 * inherited choice. {@code extends} and {@code abstract} are never inherited. {@code inputs} is
 * replaced as a whole.
 */
final class LoopTypeResolver {

    private static final List<Set<String>> EXCLUSIVE = List.of(Set.of("script", "command"), Set.of("template", "prompt"));
    private static final Set<String> NOT_INHERITED = Set.of("extends", "abstract");

    /** A merged key, with the file it came from so that findings about it point there. */
    record Located(JsonNode value, TomlDocument origin, String path) {
        Position position() {
            return origin.positionOf(path);
        }
    }

    /**
     * @param chain the type's own file first, then the types it extends, nearest first
     * @param keys  the merged keys by path relative to a loop-type file ({@code validation.command})
     */
    record Resolution(String name, List<TomlDocument> chain, Map<String, Located> keys) {
        TomlDocument own() {
            return chain.getFirst();
        }

        JsonNode value(String path) {
            Located located = keys.get(path);
            return located == null ? null : located.value();
        }
    }

    private LoopTypeResolver() {
    }

    /**
     * The chain of every type in {@code types} (by name): its own file first, then the types it
     * extends, nearest first. A type whose chain is broken (a missing parent or a cycle) is left
     * out; the break is reported once, at the {@code extends} that causes it. A type that extends
     * one of {@code unreadable} (a file that exists but did not parse, already reported) is left
     * out silently. Merging is left to {@link #resolution}, so that a type built before from the
     * same files need not be merged again.
     */
    static Map<String, List<TomlDocument>> chains(Map<String, TomlDocument> types, Set<String> unreadable,
                                                  List<Finding> findings) {
        Map<String, List<TomlDocument>> chains = new LinkedHashMap<>();
        for (String name : types.keySet()) {
            List<TomlDocument> chain = chainOf(name, types, unreadable, findings);
            if (chain != null) {
                chains.put(name, List.copyOf(chain));
            }
        }
        return chains;
    }

    /** The type {@code name} with the keys of its {@code chain} merged. */
    static Resolution resolution(String name, List<TomlDocument> chain) {
        return new Resolution(name, chain, merge(chain));
    }

    private static List<TomlDocument> chainOf(String name, Map<String, TomlDocument> types, Set<String> unreadable,
                                              List<Finding> findings) {
        List<String> names = new ArrayList<>(List.of(name));
        List<TomlDocument> chain = new ArrayList<>(List.of(types.get(name)));
        while (true) {
            TomlDocument current = chain.getLast();
            JsonNode parent = current.tree().get("extends");
            if (parent == null || !parent.isTextual() || parent.asText().isEmpty()) {
                return chain;
            }
            String parentName = parent.asText();
            if (unreadable.contains(parentName)) {
                return null;
            }
            if (!types.containsKey(parentName)) {
                if (chain.size() == 1) {
                    findings.add(Finding.error(current.source().display(), current.positionOf("extends"),
                            "loop type '" + name + "' extends '" + parentName + "', which does not exist",
                            DidYouMean.hint(parentName, types.keySet())));
                }
                return null;
            }
            if (names.contains(parentName)) {
                if (parentName.equals(name)) {
                    names.add(parentName);
                    findings.add(Finding.error(chain.getFirst().source().display(),
                            chain.getFirst().positionOf("extends"),
                            "'extends' makes a cycle: " + String.join(" -> ", names),
                            "remove 'extends' from one of these types"));
                }
                return null;
            }
            names.add(parentName);
            chain.add(types.get(parentName));
        }
    }

    private static Map<String, Located> merge(List<TomlDocument> chain) {
        Map<String, Located> merged = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            TomlDocument document = chain.get(i);
            boolean own = i == 0;
            Map<String, Located> layer = leaves(document);
            for (Set<String> group : EXCLUSIVE) {
                if (layer.keySet().stream().anyMatch(group::contains)) {
                    merged.keySet().removeAll(group);
                }
            }
            layer.forEach((path, located) -> {
                if (own || !NOT_INHERITED.contains(path)) {
                    merged.put(path, located);
                }
            });
        }
        return merged;
    }

    /** Top-level keys, and the keys of {@code [validation]} as {@code validation.NAME}. */
    private static Map<String, Located> leaves(TomlDocument document) {
        Map<String, Located> leaves = new LinkedHashMap<>();
        document.tree().properties().forEach(entry -> {
            String key = entry.getKey();
            if (key.equals("validation") && entry.getValue().isObject()) {
                leaves.put(key, new Located(entry.getValue(), document, key));
                entry.getValue().properties().forEach(inner -> leaves.put(key + "." + inner.getKey(),
                        new Located(inner.getValue(), document, key + "." + inner.getKey())));
            } else {
                leaves.put(key, new Located(entry.getValue(), document, key));
            }
        });
        return leaves;
    }
}
