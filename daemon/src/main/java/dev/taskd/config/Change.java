package dev.taskd.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * One changed key of a {@link ConfigDiff}: a dotted diff key ({@code limits.max-loops},
 * {@code loop-types.fix.script}, {@code templates.fix-tests}, or {@code loop-types.fix} for a whole
 * type added or removed), its old and new canonical values (see {@link EffectiveConfig}) and its
 * scope from {@link ConfigKeys}. Immutable.
 *
 * <p>Values may be secrets; show {@link #redacted()} rather than the change itself. {@link #toString()}
 * is redacted, so that logging a change never leaks one.
 *
 * @param oldValue null exactly when {@code kind} is {@link Kind#ADDED}
 * @param newValue null exactly when {@code kind} is {@link Kind#REMOVED}
 */
public record Change(String key, Kind kind, String oldValue, String newValue, ReloadScope scope) {

    /** What {@link #redacted()} shows instead of a secret value. */
    public static final String REDACTED = "***";

    /** Words that make a key's own name secret: {@code token-file}, {@code api-key-file}. */
    private static final Set<String> SECRET_WORDS = Set.of("key", "token", "secret", "password");

    /**
     * Rows whose names have such a word but whose values are not secret: {@code api-key-env}
     * holds the <em>name</em> of a variable (the key itself is never in the configuration).
     */
    private static final Set<String> NOT_SECRET = Set.of("api-key-env");

    public enum Kind { ADDED, MODIFIED, REMOVED }

    public Change {
        if ((oldValue == null) != (kind == Kind.ADDED) || (newValue == null) != (kind == Kind.REMOVED)) {
            throw new IllegalArgumentException(kind + " change of '" + key + "' with old value " + oldValue
                    + " and new value " + newValue);
        }
    }

    /** @throws IllegalArgumentException when the one scope table has no row for {@code key} */
    public static Change added(String key, String newValue) {
        return new Change(key, Kind.ADDED, null, newValue, ConfigKeys.scopeOf(key));
    }

    /** @throws IllegalArgumentException when the one scope table has no row for {@code key} */
    public static Change modified(String key, String oldValue, String newValue) {
        return new Change(key, Kind.MODIFIED, oldValue, newValue, ConfigKeys.scopeOf(key));
    }

    /** @throws IllegalArgumentException when the one scope table has no row for {@code key} */
    public static Change removed(String key, String oldValue) {
        return new Change(key, Kind.REMOVED, oldValue, null, ConfigKeys.scopeOf(key));
    }

    /**
     * Whether the key's values are secret: when the name of its row in the key table, split at
     * {@code -}, has one of the words key, token, secret or password. Names the user chose (a
     * provider, a loop type, a template) do not count, and neither do {@code max-tokens}, a budget,
     * and {@code api-key-env}, a variable's name.
     */
    public boolean secret() {
        String row = rowName();
        return !NOT_SECRET.contains(row) && Arrays.stream(row.split("-")).anyMatch(SECRET_WORDS::contains);
    }

    /** This change with a secret's values replaced by {@value #REDACTED} (absent values stay null). */
    public Change redacted() {
        if (!secret()) {
            return this;
        }
        return new Change(key, kind, oldValue == null ? null : REDACTED, newValue == null ? null : REDACTED, scope);
    }

    /** {@code limits.max-loops modified 1000 -> 500 (limits)}, redacted. */
    @Override
    public String toString() {
        Change shown = redacted();
        String values = switch (kind) {
            case ADDED -> shown.newValue;
            case MODIFIED -> shown.oldValue + " -> " + shown.newValue;
            case REMOVED -> shown.oldValue;
        };
        return key + " " + kind.name().toLowerCase(Locale.ROOT) + " " + values + " (" + scope.label() + ")";
    }

    /** The key's own name in the key table: {@code api-key-env}; "" for a template or a whole type. */
    private String rowName() {
        String[] parts = key.split("\\.", 3);
        if (parts[0].equals("loop-types")) {
            return parts.length < 3 ? "" : ConfigKeys.loopType(parts[2]).map(ConfigKey::name).orElse("");
        }
        return ConfigKeys.taskd(key).map(ConfigKey::name).orElse("");
    }
}
