package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one table of every configuration key: its type, default, reload scope and meaning.
 *
 * <p>Validation, binding, the reload classifier and the README's reference table all read this
 * table; a key exists when, and only when, it has a row here. Paths are relative to their file:
 * {@link #TASKD} rows to {@code taskd.toml}, {@link #LOOP_TYPE} rows to a {@code loop-types/NAME.toml}
 * (whose diff keys read {@code loop-types.NAME.<path>}). A template's text is one key,
 * {@code templates.NAME}, of scope {@link ReloadScope#TEMPLATES}.
 */
public final class ConfigKeys {

    private static final TomlMapper TOML = new TomlMapper();

    private static final Pattern ADDRESS = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])");
    private static final Pattern MODEL = Pattern.compile("|[^/\\s]+/\\S+");
    private static final Pattern URL = Pattern.compile("|https?://\\S+");
    private static final Pattern NODE = Pattern.compile("|[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern JDBC_POSTGRES = Pattern.compile("|jdbc:postgresql:\\S+");

    /** Keys of {@code config/taskd.toml}. */
    public static final List<ConfigKey> TASKD = new Rows()
            .table("daemon", ReloadScope.FULL, "the daemon process itself; changes need a restart")
            .key("daemon.listen", text(ADDRESS, "a host:port address like \"127.0.0.1:7070\""), "\"127.0.0.1:7070\"",
                    ReloadScope.FULL, "admin API address; loopback by default (port 0 picks a free port)")
            .key("daemon.data-dir", new ValueRule.PathName(), "\"../.taskd\"", ReloadScope.FULL,
                    "store, audit log, snapshots and loop work dirs; relative to this file's directory")
            .key("daemon.node", text(NODE, "a name of letters, digits, '.', '_' and '-'"), "\"\"", ReloadScope.FULL,
                    "this node's name in a cluster (storage.backend \"postgres\"); empty: the host name")
            .table("storage", ReloadScope.FULL, "where loops and iterations are stored")
            .key("storage.backend", oneOf("sqlite", "postgres"), "\"sqlite\"", ReloadScope.FULL,
                    "\"sqlite\": embedded, DATA_DIR/taskd.db, one node; \"postgres\": a PostgreSQL database several nodes share")
            .key("storage.url", text(JDBC_POSTGRES, "a JDBC URL like \"jdbc:postgresql://db.example:5432/taskd\""), "\"\"",
                    ReloadScope.FULL, "the PostgreSQL database (backend \"postgres\"), as a JDBC URL")
            .key("storage.user", anyText(), "\"\"", ReloadScope.FULL, "PostgreSQL role; empty: the URL's, else the OS user")
            .key("storage.password-env", anyText(), "\"\"", ReloadScope.FULL,
                    "environment variable holding the PostgreSQL password")
            .key("storage.password-file", new ValueRule.PathName(), "\"\"", ReloadScope.FULL,
                    "file holding the PostgreSQL password (its first line), instead of password-env")
            .table("cluster", ReloadScope.FULL, "several daemons on one PostgreSQL database (storage.backend \"postgres\")")
            .key("cluster.lease", span(Duration.ofSeconds(1), Duration.ofHours(1)), "\"10s\"", ReloadScope.FULL,
                    "how long a node's loops stay its own without a heartbeat; then another node takes them over")
            .key("cluster.heartbeat", span(Duration.ofMillis(100), Duration.ofMinutes(30)), "\"2s\"", ReloadScope.FULL,
                    "how often a node renews its lease and takes over expired nodes' loops; at most half the lease")
            .key("cluster.shared-dir", new ValueRule.PathName(), "\"\"", ReloadScope.FULL,
                    "a directory every node mounts at the same path (e.g. NFS) for loops' work dirs and outputs,"
                            + " so a loop taken over goes on in its work dir; empty: each node's data dir")
            .table("auth", ReloadScope.LIMITS, "who may use the admin API")
            .key("auth.token-file", new ValueRule.PathName(), "\"\"", ReloadScope.LIMITS,
                    "file of bearer tokens, one per line; TASKD_TOKEN is also accepted; empty: no token")
            .table("limits", ReloadScope.LIMITS, "admission limits; changes apply to admission at once")
            .key("limits.max-loops", whole(1, 1_000_000), "1000", ReloadScope.LIMITS,
                    "loops running at once; more wait in the queue")
            .key("limits.max-queued", whole(0, 10_000_000), "100000", ReloadScope.LIMITS,
                    "queued loops; beyond this, submissions get 429")
            .key("limits.max-processes", whole(1, 100_000), "16", ReloadScope.LIMITS,
                    "child processes (commands, validations) at once")
            .key("limits.max-api-calls", whole(1, 100_000), "8", ReloadScope.LIMITS, "LLM calls in flight")
            .key("limits.api-calls-per-minute", whole(1, 1_000_000), "120", ReloadScope.LIMITS,
                    "LLM calls started per minute, across all loops")
            .key("limits.drain-timeout", span(Duration.ZERO, Duration.ofDays(1)), "\"30s\"", ReloadScope.LIMITS,
                    "how long running iterations may finish at shutdown")
            .key("limits.max-output", new ValueRule.Size(4096, 1L << 40), "\"16MiB\"", ReloadScope.LIMITS,
                    "output kept on disk per command and stream; beyond it the head and tail, and how much was dropped")
            .key("limits.per-type", new ValueRule.Table(), "{}", ReloadScope.LIMITS,
                    "loops of one type running at once, e.g. { ralph = 20 }")
            .key("limits.per-type.*", whole(1, 1_000_000), "", ReloadScope.LIMITS, "limit for the named loop type")
            .table("loops", ReloadScope.LOOP_TYPES, "where loop types come from")
            .key("loops.paths", new ValueRule.PathNames(), "[\"../loop-types\"]", ReloadScope.LOOP_TYPES,
                    "directories of loop types (NAME.toml and NAME.js), relative to this file's directory")
            .key("loops.workdir-roots", new ValueRule.PathNames(), "[]", ReloadScope.LOOP_TYPES,
                    "directories under which a loop may be given its work dir; else DATA_DIR/work/ID")
            .table("templates", ReloadScope.TEMPLATES, "where templates come from")
            .key("templates.paths", new ValueRule.PathNames(), "[\"../templates\"]", ReloadScope.TEMPLATES,
                    "directories of Mustache templates (NAME.mustache), relative to this file's directory")
            .table("llm", ReloadScope.LIMITS, "LLM providers; keys and endpoints rotate without restart")
            .key("llm.default", text(MODEL, "\"provider/model\""), "\"\"", ReloadScope.LIMITS,
                    "model used when a script names none, as provider/model")
            .key("llm.providers", new ValueRule.Table(), "{}", ReloadScope.LIMITS, "providers by name")
            .key("llm.providers.*", new ValueRule.Table(), "", ReloadScope.LIMITS, "one provider")
            .required("llm.providers.*.kind", oneOf("openai", "anthropic"), ReloadScope.LIMITS,
                    "\"openai\" (any OpenAI-compatible server) or \"anthropic\"")
            .key("llm.providers.*.base-url", text(URL, "an http:// or https:// URL"), "\"\"", ReloadScope.LIMITS,
                    "endpoint; empty: the provider's public endpoint")
            .key("llm.providers.*.api-key-env", anyText(), "\"\"", ReloadScope.LIMITS,
                    "environment variable holding the API key")
            .key("llm.providers.*.api-key-file", new ValueRule.PathName(), "\"\"", ReloadScope.LIMITS,
                    "file holding the API key; read before each request; a change is audited as llm.providers.NAME.api-key")
            .key("llm.providers.*.prices", new ValueRule.Prices(), "{}", ReloadScope.LIMITS,
                    "price per million tokens by model, e.g. { \"gpt-4.1\" = { input = 2.0, output = 8.0 } }; for max-cost")
            .table("reload", ReloadScope.MONITORING, "how file changes are noticed")
            .key("reload.watch", new ValueRule.Flag(), "true", ReloadScope.MONITORING,
                    "watch the config, loop-type, template and secret files' directories; false: nothing reloads by itself")
            .key("reload.debounce", span(Duration.ZERO, Duration.ofMinutes(1)), "\"250ms\"", ReloadScope.MONITORING,
                    "quiet time after the last file event before reloading")
            .key("reload.resync-interval", span(Duration.ofMillis(100), Duration.ofDays(1)), "\"2s\"",
                    ReloadScope.MONITORING, "how often content hashes are compared, catching missed events")
            .key("reload.keep-snapshots", whole(1, 100_000), "50", ReloadScope.MONITORING,
                    "applied generations kept for rollback")
            .key("reload.apply", oneOf("auto", "manual"), "\"auto\"", ReloadScope.MONITORING,
                    "\"manual\": file changes become a pending plan that taskd reload applies")
            .table("monitoring", ReloadScope.MONITORING, "logs and metrics")
            .key("monitoring.log-level", oneOf("trace", "debug", "info", "warn", "error"), "\"info\"",
                    ReloadScope.MONITORING, "least severe log event written")
            .key("monitoring.metrics", new ValueRule.Flag(), "true", ReloadScope.MONITORING,
                    "serve Prometheus metrics at /metrics")
            .table("schedules", ReloadScope.LOOP_TYPES, "loops started on a schedule, by schedule name")
            .key("schedules.*", new ValueRule.Table(), "", ReloadScope.LOOP_TYPES, "one schedule")
            .required("schedules.*.type", anyText(), ReloadScope.LOOP_TYPES, "loop type each fire submits")
            .key("schedules.*.inputs", new ValueRule.Table(), "{}", ReloadScope.LOOP_TYPES,
                    "inputs of each loop, e.g. { task = \"nightly\" }")
            .key("schedules.*.inputs.*", anyText(), "", ReloadScope.LOOP_TYPES, "one input's value")
            .key("schedules.*.cron", anyText(), "", ReloadScope.LOOP_TYPES,
                    "5-field cron expression (minute hour day-of-month month day-of-week); or every")
            .key("schedules.*.every", span(Duration.ofSeconds(1), Duration.ofDays(366)), "",
                    ReloadScope.LOOP_TYPES, "fixed interval like \"10m\", counted from midnight 1970-01-01 in timezone; or cron")
            .key("schedules.*.timezone", anyText(), "\"UTC\"", ReloadScope.LOOP_TYPES,
                    "IANA zone the cron expression is read in, like \"Europe/Berlin\"")
            .key("schedules.*.overlap", oneOf("skip", "queue", "allow"), "\"skip\"", ReloadScope.LOOP_TYPES,
                    "when this schedule's previous loop has not ended: skip the fire, queue one, or allow it")
            .key("schedules.*.catch-up", oneOf("none", "last"), "\"none\"", ReloadScope.LOOP_TYPES,
                    "after the daemon was down over fire times: \"last\" fires the latest missed one at start")
            .table("notify", ReloadScope.MONITORING, "webhooks told of events, by name")
            .key("notify.*", new ValueRule.Table(), "", ReloadScope.MONITORING, "one webhook")
            .required("notify.*.url", text(URL, "an http:// or https:// URL"), ReloadScope.MONITORING,
                    "where each event is POSTed as JSON; shown without its path and query")
            .required("notify.*.events", new ValueRule.TextList(), ReloadScope.MONITORING,
                    "event names, like [\"loop.failed\", \"reload.rejected\"]")
            .key("notify.*.types", new ValueRule.TextList(), "[]", ReloadScope.MONITORING,
                    "only loop events of these loop types; empty: all")
            .key("notify.*.secret-env", anyText(), "\"\"", ReloadScope.MONITORING,
                    "environment variable holding the HMAC key of X-Taskd-Signature; empty: unsigned")
            .build();

    /** Keys of a {@code loop-types/NAME.toml}. */
    public static final List<ConfigKey> LOOP_TYPE = new Rows()
            .key("description", anyText(), "\"\"", ReloadScope.LOOP_TYPES, "one line for listings")
            .key("extends", anyText(), "\"\"", ReloadScope.LOOP_TYPES,
                    "loop type whose keys this one inherits (its own keys win)")
            .key("abstract", new ValueRule.Flag(), "false", ReloadScope.LOOP_TYPES,
                    "only for extending: may lack an action and cannot be run")
            .key("template", anyText(), "\"\"", ReloadScope.LOOP_TYPES, "template rendered into the prompt")
            .key("prompt", anyText(), "\"\"", ReloadScope.LOOP_TYPES, "inline template, instead of template")
            .key("script", text(Pattern.compile("[^/\\\\]+\\.m?js"), "a file name ending .js beside the TOML"),
                    "", ReloadScope.LOOP_TYPES, "action: a JavaScript module exporting iterate(ctx)")
            .key("command", anyText(), "\"\"", ReloadScope.LOOP_TYPES,
                    "action: a shell command, rendered like a template; gets the prompt on stdin")
            .key("inputs", new ValueRule.Inputs(), "[]", ReloadScope.LOOP_TYPES,
                    "input names, or { name, default, description } tables; no default: required")
            .key("max-iterations", whole(1, 1_000_000), "10", ReloadScope.LOOP_TYPES,
                    "iterations before the loop fails")
            .key("iteration-timeout", span(Duration.ofMillis(10), Duration.ofDays(7)), "\"5m\"",
                    ReloadScope.LOOP_TYPES, "wall clock for a whole iteration: action and validation")
            .key("delay", span(Duration.ZERO, Duration.ofDays(1)), "\"1s\"", ReloadScope.LOOP_TYPES,
                    "pause between iterations")
            .key("backoff", oneOf("fixed", "exponential"), "\"fixed\"", ReloadScope.LOOP_TYPES,
                    "\"exponential\" doubles the delay after each iteration, up to max-delay")
            .key("max-delay", span(Duration.ZERO, Duration.ofDays(1)), "\"5m\"", ReloadScope.LOOP_TYPES,
                    "cap for exponential backoff")
            .key("on-reload", oneOf("pin", "next-iteration"), "\"pin\"", ReloadScope.LOOP_TYPES,
                    "whether a running loop keeps its version or adopts a compatible new one")
            .key("isolation", oneOf("none", "git-worktree"), "\"none\"", ReloadScope.LOOP_TYPES,
                    "\"git-worktree\": each loop works in its own worktree and branch")
            .key("max-tokens", whole(0, 1_000_000_000_000L), "0", ReloadScope.LOOP_TYPES,
                    "LLM token budget per loop; 0: none")
            .key("max-cost", new ValueRule.Decimal(0, 1e12), "0", ReloadScope.LOOP_TYPES,
                    "LLM cost budget per loop, at llm.providers.*.prices, over all its runs; 0: none")
            .key("approval", oneOf("none", "before-success"), "\"none\"", ReloadScope.LOOP_TYPES,
                    "\"before-success\": a passed loop awaits taskd loops approve or reject")
            .key("stall-after", whole(0, 1_000_000), "0", ReloadScope.LOOP_TYPES,
                    "pause after this many iterations in a row with the same validation result and work dir; 0: never")
            .table("validation", ReloadScope.LOOP_TYPES, "the command that decides whether an iteration succeeded")
            .key("validation.command", anyText(), "\"\"", ReloadScope.LOOP_TYPES,
                    "shell command run in the work dir after the action")
            .key("validation.success-exit-codes", new ValueRule.WholeList(0, 255), "[0]", ReloadScope.LOOP_TYPES,
                    "exit codes that mean success")
            .key("validation.timeout", span(Duration.ofMillis(10), Duration.ofDays(7)), "\"2m\"",
                    ReloadScope.LOOP_TYPES, "wall clock for the validation command")
            .build();

    /**
     * Diff keys for what secret files hold rather than for a key of a file: {@link ConfigDiff}
     * reports a rotated token or key file under these, with a count and never the text (see
     * {@link Secrets}). No file may set them; {@link KeyChecker} reads only {@link #TASKD} and
     * {@link #LOOP_TYPE}.
     */
    public static final List<ConfigKey> SECRET_CONTENTS = new Rows()
            .key("auth.tokens", anyText(), "", ReloadScope.LIMITS,
                    "the tokens auth.token-file holds; shown as a count, never as text")
            .key("llm.providers.*.api-key", anyText(), "", ReloadScope.LIMITS,
                    "the key api-key-file holds; shown as (redacted), (empty) or (unreadable)")
            .build();

    /**
     * What {@link #find} answers for each literal path of a table, worked out once: a reload asks
     * for the row of every key of every loop type, and scanning the patterns each time dominated
     * reloads of a thousand types.
     */
    private static final Map<String, ConfigKey> TASKD_LITERAL = literalPaths(TASKD);
    private static final Map<String, ConfigKey> LOOP_TYPE_LITERAL = literalPaths(LOOP_TYPE);

    private ConfigKeys() {
    }

    /** The row of {@code taskd.toml} whose pattern matches {@code path}. */
    public static Optional<ConfigKey> taskd(String path) {
        return find(TASKD, path);
    }

    /** The row of a loop-type file whose pattern matches {@code path}. */
    public static Optional<ConfigKey> loopType(String path) {
        return find(LOOP_TYPE, path);
    }

    /**
     * The reload scope of a diff key: {@code limits.max-loops}, {@code loop-types.fix.max-iterations},
     * {@code loop-types.fix} (a type added or removed), {@code templates.fix-tests} (a template's text).
     *
     * @throws IllegalArgumentException for a key no row declares, which is a bug in the caller
     */
    public static ReloadScope scopeOf(String diffKey) {
        String[] parts = diffKey.split("\\.", 3);
        if (parts[0].equals("loop-types") && parts.length >= 2) {
            return parts.length == 2 ? ReloadScope.LOOP_TYPES : loopType(parts[2]).map(ConfigKey::scope)
                    .orElseThrow(() -> new IllegalArgumentException("no scope for key '" + diffKey + "'"));
        }
        Optional<ConfigKey> row = taskd(diffKey);
        if (row.isPresent()) {
            return row.get().scope();
        }
        Optional<ConfigKey> content = find(SECRET_CONTENTS, diffKey);
        if (content.isPresent()) {
            return content.get().scope();
        }
        if (parts[0].equals("templates") && parts.length == 2) {
            return ReloadScope.TEMPLATES;
        }
        throw new IllegalArgumentException("no scope for key '" + diffKey + "'");
    }

    /** The first row of {@code rows} whose pattern matches {@code path}. */
    static Optional<ConfigKey> find(List<ConfigKey> rows, String path) {
        Map<String, ConfigKey> literal = rows == TASKD ? TASKD_LITERAL : rows == LOOP_TYPE ? LOOP_TYPE_LITERAL : Map.of();
        ConfigKey row = literal.get(path);
        return row != null ? Optional.of(row) : scan(rows, path);
    }

    private static Optional<ConfigKey> scan(List<ConfigKey> rows, String path) {
        return rows.stream().filter(row -> row.matches(path)).findFirst();
    }

    /** The answer of {@link #scan} for every path without {@code *}, so that a lookup is one hash. */
    private static Map<String, ConfigKey> literalPaths(List<ConfigKey> rows) {
        Map<String, ConfigKey> literal = new HashMap<>();
        for (ConfigKey row : rows) {
            if (!row.path().contains("*")) {
                scan(rows, row.path()).ifPresent(first -> literal.putIfAbsent(row.path(), first));
            }
        }
        return Map.copyOf(literal);
    }

    private static ValueRule anyText() {
        return new ValueRule.Text(null, "a string");
    }

    private static ValueRule text(Pattern pattern, String expected) {
        return new ValueRule.Text(pattern, expected);
    }

    private static ValueRule whole(long min, long max) {
        return new ValueRule.Whole(min, max);
    }

    private static ValueRule span(Duration min, Duration max) {
        return new ValueRule.Span(min, max);
    }

    private static ValueRule oneOf(String... choices) {
        return new ValueRule.OneOf(List.of(choices));
    }

    /** Builds the rows; parses each default with the same TOML parser the files go through. */
    private static final class Rows {
        private final List<ConfigKey> rows = new ArrayList<>();

        Rows key(String path, ValueRule rule, String defaultToml, ReloadScope scope, String meaning) {
            rows.add(new ConfigKey(path, rule, defaultToml, parseDefault(path, rule, defaultToml), false, scope, meaning));
            return this;
        }

        Rows required(String path, ValueRule rule, ReloadScope scope, String meaning) {
            rows.add(new ConfigKey(path, rule, "", null, true, scope, meaning));
            return this;
        }

        Rows table(String path, ReloadScope scope, String meaning) {
            return key(path, new ValueRule.Table(), "{}", scope, meaning);
        }

        List<ConfigKey> build() {
            return List.copyOf(rows);
        }

        private static JsonNode parseDefault(String path, ValueRule rule, String defaultToml) {
            if (defaultToml.isEmpty()) {
                return null;
            }
            try {
                JsonNode value = TOML.readTree("v = " + defaultToml).get("v");
                if (!rule.accepts(value)) {
                    throw new IllegalStateException("default of " + path + " breaks its own rule: " + defaultToml);
                }
                return value;
            } catch (IOException e) {
                throw new IllegalStateException("default of " + path + " is not TOML: " + defaultToml, e);
            }
        }
    }
}
