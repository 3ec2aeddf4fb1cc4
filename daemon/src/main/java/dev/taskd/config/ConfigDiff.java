package dev.taskd.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a reload would change (step 3 of the pipeline): the added, modified and removed keys between
 * two configurations, each with its scope from the one table ({@link ConfigKeys}), in key order.
 * Immutable; computing one changes nothing.
 *
 * <p>Keys and values are those of {@link EffectiveConfig}. A loop type added or removed as a whole
 * is one change, {@code loop-types.NAME} (scope loop-types), whose value is the first 12 hex digits
 * of the type's version, rather than one change per key. A template's text changing is
 * {@code templates.NAME} only: the versions of the types that render it change too, but no key of
 * theirs does, so the scope stays templates. What the token file or a key file holds changing is
 * {@code auth.tokens} or {@code llm.providers.NAME.api-key}, whose values are counts, never text
 * (see {@link Secrets#changes}).
 *
 * <p>Classification (step 4) reads {@link #scope()} and {@link #rejection()}: a diff with any
 * {@link ReloadScope#FULL} change is rejected as a whole; nothing of it may be applied.
 */
public record ConfigDiff(List<Change> changes) {

    public ConfigDiff {
        changes = changes.stream().sorted(Comparator.comparing(Change::key)).toList();
    }

    /**
     * The changes from {@code before} to {@code after}.
     *
     * <p>Loop types are compared one by one, and a type that is the very same object in both
     * snapshots is skipped: the loader hands back the same {@link LoopType} when none of its
     * sources changed, so a reload of one changed type out of a thousand compares one type.
     *
     * @throws IllegalArgumentException when a name in either snapshot cannot form a key (see
     *                                  {@link EffectiveConfig#of}); of the loop types, only those
     *                                  that changed are checked
     */
    public static ConfigDiff between(ConfigSnapshot before, ConfigSnapshot after) {
        List<Change> changes = new ArrayList<>();
        compare(EffectiveConfig.settingsAndTemplates(before), EffectiveConfig.settingsAndTemplates(after), changes);
        wholeTypes(before.loopTypes(), after.loopTypes(), false, changes);
        wholeTypes(after.loopTypes(), before.loopTypes(), true, changes);
        before.loopTypes().forEach((name, old) -> {
            LoopType now = after.loopTypes().get(name);
            if (now != null && now != old) {
                compare(EffectiveConfig.loopType(name, old), EffectiveConfig.loopType(name, now), changes);
            }
        });
        changes.addAll(Secrets.changes(before.secrets(), after.secrets()));
        return new ConfigDiff(changes);
    }

    /** Adds the keys added, removed or modified from {@code old} to {@code now}. */
    private static void compare(Map<String, String> old, Map<String, String> now, List<Change> changes) {
        old.forEach((key, oldValue) -> {
            String newValue = now.get(key);
            if (newValue == null) {
                changes.add(Change.removed(key, oldValue));
            } else if (!oldValue.equals(newValue)) {
                changes.add(Change.modified(key, oldValue, newValue));
            }
        });
        now.forEach((key, newValue) -> {
            if (!old.containsKey(key)) {
                changes.add(Change.added(key, newValue));
            }
        });
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The highest scope of the changes; empty when there are none. */
    public Optional<ReloadScope> scope() {
        return changes.stream().map(Change::scope).reduce(ReloadScope::highest);
    }

    /** The changes only a restart can apply (scope {@link ReloadScope#FULL}), in key order. */
    public List<Change> restartOnly() {
        return changes.stream().filter(change -> change.scope() == ReloadScope.FULL).toList();
    }

    /**
     * Why this diff must be rejected, naming every restart-only key, or empty when it may be
     * applied: {@code daemon.listen, storage.backend change only at restart; restart taskd to apply}.
     */
    public Optional<String> rejection() {
        List<Change> restartOnly = restartOnly();
        if (restartOnly.isEmpty()) {
            return Optional.empty();
        }
        String keys = restartOnly.stream().map(Change::key).collect(Collectors.joining(", "));
        return Optional.of(keys + (restartOnly.size() == 1 ? " changes" : " change")
                + " only at restart; restart taskd to apply");
    }

    /** This diff with every secret value replaced (see {@link Change#redacted()}), for events and display. */
    public ConfigDiff redacted() {
        return new ConfigDiff(changes.stream().map(Change::redacted).toList());
    }

    /** One change per type in {@code from} that is not in {@code to}. */
    private static void wholeTypes(Map<String, LoopType> from, Map<String, LoopType> to, boolean added,
                                   List<Change> changes) {
        from.forEach((name, type) -> {
            if (!to.containsKey(name)) {
                String version = TomlText.shortHash(type.version());
                changes.add(added ? Change.added("loop-types." + name, version)
                        : Change.removed("loop-types." + name, version));
            }
        });
    }
}
