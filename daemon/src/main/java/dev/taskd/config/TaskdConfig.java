package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of {@code taskd.toml}, bound and with defaults applied; paths are absolute,
 * resolved against the directory that holds the file. Immutable.
 */
public record TaskdConfig(Daemon daemon, Storage storage, Auth auth, Limits limits, Loops loops,
                          Templates templates, Llm llm, Reload reload, Monitoring monitoring,
                          Map<String, ScheduleSettings> schedules, Map<String, NotifySettings> notifications,
                          Cluster cluster) {

    public TaskdConfig {
        schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
        notifications = Collections.unmodifiableMap(new LinkedHashMap<>(notifications));
    }

    public record Daemon(String listen, Path dataDir) {
    }

    /**
     * @param url          {@code storage.url}, "" unless backend is {@code postgres}
     * @param passwordEnv  "" when none
     * @param passwordFile null when none
     */
    public record Storage(String backend, String url, String user, String passwordEnv, Path passwordFile) {

        public boolean postgres() {
            return "postgres".equals(backend);
        }
    }

    /** @param tokenFile the token file, or null when none is configured */
    public record Auth(Path tokenFile) {
    }

    public record Limits(int maxLoops, int maxQueued, int maxProcesses, int maxApiCalls, int apiCallsPerMinute,
                         Duration drainTimeout, long maxOutput, Map<String, Integer> perType) {
        public Limits {
            perType = Map.copyOf(perType);
        }
    }

    public record Loops(List<Path> paths, List<Path> workdirRoots) {
        public Loops {
            paths = List.copyOf(paths);
            workdirRoots = List.copyOf(workdirRoots);
        }
    }

    public record Templates(List<Path> paths) {
        public Templates {
            paths = List.copyOf(paths);
        }
    }

    /** @param defaultModel {@code provider/model}, or "" when none is set */
    public record Llm(String defaultModel, Map<String, Provider> providers) {
        public Llm {
            providers = Map.copyOf(providers);
        }
    }

    /**
     * @param baseUrl "" for the provider's public endpoint
     * @param prices  by model name; a model without a price costs nothing
     */
    public record Provider(String name, String kind, String baseUrl, String apiKeyEnv, Path apiKeyFile,
                           Map<String, Price> prices) {
        public Provider {
            prices = Map.copyOf(prices);
        }

        /** A provider without prices. */
        public Provider(String name, String kind, String baseUrl, String apiKeyEnv, Path apiKeyFile) {
            this(name, kind, baseUrl, apiKeyEnv, apiKeyFile, Map.of());
        }
    }

    /** What a model's tokens cost, per million. */
    public record Price(double input, double output) {
        public double cost(long inputTokens, long outputTokens) {
            return (inputTokens * input + outputTokens * output) / 1_000_000;
        }
    }

    /** @param apply what a change noticed by the watcher, the resync or SIGHUP does */
    public record Reload(boolean watch, Duration debounce, Duration resyncInterval, int keepSnapshots, Apply apply) {
    }

    /** {@code reload.apply}: a noticed change is applied at once, or held as a pending plan. */
    public enum Apply { AUTO, MANUAL }

    public record Monitoring(String logLevel, boolean metrics) {
    }

    /**
     * A node's place in a cluster (storage backend {@code postgres}).
     *
     * @param node      {@code daemon.node}, "" for the host name
     * @param sharedDir {@code cluster.shared-dir}, null when unset: loops' work dirs and outputs stay in the data dir
     */
    public record Cluster(String node, Duration lease, Duration heartbeat, Path sharedDir) {
    }

    /** Binds {@code values}; relative paths resolve against {@code configDir}. */
    static TaskdConfig bind(TypedValues values, Path configDir) {
        Map<String, Integer> perType = new LinkedHashMap<>();
        values.members("limits.per-type").keySet().stream().filter(TaskdConfig::addressable).forEach(type -> {
            if (values.value("limits.per-type." + type) != null) {
                perType.put(type, values.integer("limits.per-type." + type));
            }
        });
        Map<String, Provider> providers = new LinkedHashMap<>();
        values.members("llm.providers").keySet().stream().filter(TaskdConfig::addressable).forEach(name -> {
            String prefix = "llm.providers." + name + ".";
            providers.put(name, new Provider(name, values.text(prefix + "kind"), values.text(prefix + "base-url"),
                    values.text(prefix + "api-key-env"), optionalPath(configDir, values.text(prefix + "api-key-file")),
                    prices(values.value(prefix + "prices"))));
        });
        return new TaskdConfig(
                new Daemon(values.text("daemon.listen"), resolve(configDir, values.text("daemon.data-dir"))),
                new Storage(values.text("storage.backend"), values.text("storage.url"), values.text("storage.user"),
                        values.text("storage.password-env"), optionalPath(configDir, values.text("storage.password-file"))),
                new Auth(optionalPath(configDir, values.text("auth.token-file"))),
                new Limits(values.integer("limits.max-loops"), values.integer("limits.max-queued"),
                        values.integer("limits.max-processes"), values.integer("limits.max-api-calls"),
                        values.integer("limits.api-calls-per-minute"), values.span("limits.drain-timeout"),
                        values.bytes("limits.max-output"), perType),
                new Loops(resolveAll(configDir, values.texts("loops.paths")),
                        resolveAll(configDir, values.texts("loops.workdir-roots"))),
                new Templates(resolveAll(configDir, values.texts("templates.paths"))),
                new Llm(values.text("llm.default"), providers),
                new Reload(values.flag("reload.watch"), values.span("reload.debounce"),
                        values.span("reload.resync-interval"), values.integer("reload.keep-snapshots"),
                        Apply.valueOf(values.text("reload.apply").toUpperCase(Locale.ROOT))),
                new Monitoring(values.text("monitoring.log-level"), values.flag("monitoring.metrics")),
                ScheduleSettings.bind(values), NotifySettings.bind(values),
                new Cluster(values.text("daemon.node"), values.span("cluster.lease"), values.span("cluster.heartbeat"),
                        optionalPath(configDir, values.text("cluster.shared-dir"))));
    }

    private static Map<String, Price> prices(JsonNode table) {
        Map<String, Price> prices = new LinkedHashMap<>();
        if (table != null) {
            table.properties().forEach(model -> prices.put(model.getKey(),
                    new Price(model.getValue().path("input").asDouble(), model.getValue().path("output").asDouble())));
        }
        return prices;
    }

    /**
     * Whether a user-chosen name ({@code "a.b"} is a valid quoted TOML key) can be read through a
     * dotted path; one that cannot is not bound, and {@link KeyChecker} has reported it as unknown.
     */
    private static boolean addressable(String name) {
        return !name.contains(".");
    }

    private static Path resolve(Path configDir, String path) {
        return configDir.resolve(path).normalize();
    }

    private static Path optionalPath(Path configDir, String path) {
        return path.isEmpty() ? null : resolve(configDir, path);
    }

    private static List<Path> resolveAll(Path configDir, List<String> paths) {
        return paths.stream().map(path -> resolve(configDir, path)).toList();
    }
}
