package dev.taskd.config;

import dev.taskd.source.SourceFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A configuration as flat dotted keys and canonical values: what {@link ConfigDiff} compares and
 * what {@code GET /v1/config} can show (after redaction).
 *
 * <p>The keys are exactly the diff keys of {@link ConfigKeys}, so each has a scope:
 * <ul>
 *   <li>every key of {@code taskd.toml}, defaults applied ({@code limits.max-loops = 1000});
 *       tables of user-chosen names are flattened to their members ({@code limits.per-type.ralph = 20},
 *       {@code llm.providers.local.kind = "openai"}); the tables themselves have no entry;
 *   <li>{@code loop-types.NAME.KEY} for every loop-type key the resolved type has (see
 *       {@link EffectiveLoopType}); {@code extends} is not one, its effect is in the inherited keys;
 *   <li>{@code templates.NAME} = the first 12 hex digits of the template's SHA-256, so that a
 *       change of its text is a modification.
 * </ul>
 *
 * <p>Values are TOML-like: strings quoted and escaped, durations as {@link Durations#format} writes
 * them ({@code "250ms"}), paths as resolved absolute paths ({@code ""} for none), arrays as
 * {@code ["a", "b"]}. Equal meaning gives equal text ({@code "60s"} and {@code "1m"} both read
 * {@code "1m"}). Secrets are not redacted here; see {@link Change#redacted()}.
 */
public final class EffectiveConfig {

    private EffectiveConfig() {
    }

    /**
     * The effective keys of {@code snapshot}, in key order; unmodifiable.
     *
     * @throws IllegalArgumentException when a name in the snapshot cannot form a diff key, such as a
     *                                  template named {@code a.b} or {@code paths} (which would be
     *                                  {@code templates.paths}); the loader does not refuse these yet
     */
    public static SortedMap<String, String> of(ConfigSnapshot snapshot) {
        Keys keys = new Keys();
        taskd(snapshot.config(), keys);
        snapshot.loopTypes().forEach((name, type) -> loopType(name, type).forEach(keys::put));
        templates(snapshot.templates(), keys);
        return Collections.unmodifiableSortedMap(keys.map);
    }

    /**
     * The keys of taskd.toml and of the templates, checked as {@link #of} checks them: the part of
     * a configuration that is not loop types, which {@link ConfigDiff} compares as a whole.
     */
    static SortedMap<String, String> settingsAndTemplates(ConfigSnapshot snapshot) {
        Keys keys = new Keys();
        taskd(snapshot.config(), keys);
        templates(snapshot.templates(), keys);
        return keys.map;
    }

    /** The keys of one loop type, {@code loop-types.NAME.KEY}, in the order of {@link EffectiveLoopType}. */
    static Map<String, String> loopType(String name, LoopType type) {
        Map<String, String> keys = new LinkedHashMap<>();
        EffectiveLoopType.of(type).forEach((key, value) -> keys.put("loop-types." + name + "." + key, value));
        return keys;
    }

    private static void templates(Map<String, SourceFile> templates, Keys keys) {
        templates.forEach((name, source) -> keys.put("templates." + name, TomlText.shortHash(source.hash())));
    }

    private static void taskd(TaskdConfig config, Keys keys) {
        keys.put("daemon.listen", TomlText.quote(config.daemon().listen()));
        keys.put("daemon.data-dir", TomlText.path(config.daemon().dataDir()));
        keys.put("storage.backend", TomlText.quote(config.storage().backend()));
        keys.put("storage.url", TomlText.quote(config.storage().url()));
        keys.put("storage.user", TomlText.quote(config.storage().user()));
        keys.put("storage.password-env", TomlText.quote(config.storage().passwordEnv()));
        keys.put("storage.password-file", TomlText.path(config.storage().passwordFile()));
        keys.put("daemon.node", TomlText.quote(config.cluster().node()));
        keys.put("cluster.lease", TomlText.duration(config.cluster().lease()));
        keys.put("cluster.heartbeat", TomlText.duration(config.cluster().heartbeat()));
        keys.put("cluster.shared-dir", TomlText.path(config.cluster().sharedDir()));
        keys.put("auth.token-file", TomlText.path(config.auth().tokenFile()));

        TaskdConfig.Limits limits = config.limits();
        keys.put("limits.max-loops", String.valueOf(limits.maxLoops()));
        keys.put("limits.max-queued", String.valueOf(limits.maxQueued()));
        keys.put("limits.max-processes", String.valueOf(limits.maxProcesses()));
        keys.put("limits.max-api-calls", String.valueOf(limits.maxApiCalls()));
        keys.put("limits.api-calls-per-minute", String.valueOf(limits.apiCallsPerMinute()));
        keys.put("limits.drain-timeout", TomlText.duration(limits.drainTimeout()));
        keys.put("limits.max-output", TomlText.quote(ByteSizes.format(limits.maxOutput())));
        limits.perType().forEach((type, limit) -> keys.put("limits.per-type." + type, String.valueOf(limit)));

        keys.put("loops.paths", TomlText.paths(config.loops().paths()));
        keys.put("loops.workdir-roots", TomlText.paths(config.loops().workdirRoots()));
        keys.put("templates.paths", TomlText.paths(config.templates().paths()));

        keys.put("llm.default", TomlText.quote(config.llm().defaultModel()));
        for (TaskdConfig.Provider provider : config.llm().providers().values()) {
            String prefix = "llm.providers." + provider.name() + ".";
            keys.put(prefix + "kind", TomlText.quote(provider.kind()));
            keys.put(prefix + "base-url", TomlText.quote(provider.baseUrl()));
            keys.put(prefix + "api-key-env", TomlText.quote(provider.apiKeyEnv()));
            keys.put(prefix + "api-key-file", TomlText.path(provider.apiKeyFile()));
            keys.put(prefix + "prices", prices(provider.prices()));
        }

        TaskdConfig.Reload reload = config.reload();
        keys.put("reload.watch", String.valueOf(reload.watch()));
        keys.put("reload.debounce", TomlText.duration(reload.debounce()));
        keys.put("reload.resync-interval", TomlText.duration(reload.resyncInterval()));
        keys.put("reload.keep-snapshots", String.valueOf(reload.keepSnapshots()));
        keys.put("monitoring.log-level", TomlText.quote(config.monitoring().logLevel()));
        keys.put("monitoring.metrics", String.valueOf(config.monitoring().metrics()));
        config.schedules().values().forEach(schedule -> schedule.effectiveKeys(keys::put));
        config.notifications().values().forEach(target -> target.effectiveKeys(keys::put));
    }

    /** Prices by model, in model order: {@code { "gpt-4.1" = { input = 2.0, output = 8.0 } }}. */
    private static String prices(Map<String, TaskdConfig.Price> prices) {
        StringBuilder text = new StringBuilder("{");
        new TreeMap<>(prices).forEach((model, price) -> text.append(text.length() > 1 ? ", " : " ")
                .append(TomlText.quote(model)).append(" = { input = ").append(TomlText.decimal(price.input()))
                .append(", output = ").append(TomlText.decimal(price.output())).append(" }"));
        return text.append(text.length() > 1 ? " }" : "}").toString();
    }

    /** Collects keys, refusing one that has no scope or that two things would share. */
    private static final class Keys {
        private final SortedMap<String, String> map = new TreeMap<>();

        void put(String key, String value) {
            try {
                ConfigKeys.scopeOf(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "' cannot be a configuration key: a name in it "
                        + "contains '.'; rename its file", e);
            }
            String earlier = map.putIfAbsent(key, value);
            if (earlier != null) {
                throw new IllegalArgumentException("'" + key + "' would name two settings (" + earlier + " and "
                        + value + "); rename the template");
            }
        }
    }
}
