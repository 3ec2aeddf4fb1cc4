package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One row of the key table ({@link ConfigKeys}).
 *
 * @param path         dotted path relative to its file; {@code *} stands for one name chosen by the
 *                     user ({@code llm.providers.*.kind})
 * @param rule         what the value must look like
 * @param defaultToml  the default as it would be written in TOML ({@code "250ms"}, {@code 1000}),
 *                     or empty when the key has no default
 * @param defaultValue the default parsed, or null when there is none
 * @param required     whether the key must be present when its table is
 * @param scope        what a change of this key needs from a reload
 * @param meaning      one line for the README and for {@code --help}-style listings
 */
public record ConfigKey(String path, ValueRule rule, String defaultToml, JsonNode defaultValue,
                        boolean required, ReloadScope scope, String meaning) {

    public Optional<JsonNode> fallback() {
        return Optional.ofNullable(defaultValue);
    }

    /** The last segment: {@code max-loops} for {@code limits.max-loops}. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Whether this key's pattern matches a concrete dotted path ({@code *} matches one segment). */
    public boolean matches(String concretePath) {
        return patternMatches(path, concretePath);
    }

    /** Whether a dotted pattern matches a concrete dotted path; "" matches only "". */
    static boolean patternMatches(String pattern, String concretePath) {
        if (pattern.isEmpty() || concretePath.isEmpty()) {
            return pattern.isEmpty() && concretePath.isEmpty();
        }
        String[] wanted = pattern.split("\\.");
        String[] concrete = concretePath.split("\\.");
        if (wanted.length != concrete.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (!wanted[i].equals("*") && !wanted[i].equals(concrete[i])) {
                return false;
            }
        }
        return true;
    }

    /** The parent path pattern: {@code llm.providers.*} for {@code llm.providers.*.kind}; "" at the top. */
    public String parentPath() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
