package dev.taskd.metrics;

import dev.taskd.llm.CallRecord;
import dev.taskd.loop.LoopEvent;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadResult;
import dev.taskd.store.StorageHealth;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * taskd's Prometheus metrics, in a registry of their own (not the library's global default, so
 * two daemons in one JVM, as in tests, do not share or collide).
 *
 * <p>Counters and histograms are told of reloads ({@link #accept}, registered as a reload
 * subscriber) and iterations ({@link #iteration}); the gauges of present state read
 * {@link MetricSources} at scrape time. All methods are thread-safe. {@link #iteration} and
 * {@link #reload} cost a few atomic updates, cheap enough for the iteration path; while a scrape
 * runs the library appends them to a buffer under a short lock instead, so none is lost and none
 * waits for the scrape's suppliers.
 */
public final class TaskdMetrics implements Consumer<ReloadEvent> {

    /** {@code text/plain; version=0.0.4; charset=utf-8}: what {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** Every {@link ReloadResult#label()}: each starts at 0 so {@code rate()} sees the first one. */
    static final List<String> RELOAD_RESULTS = List.of("applied", "unchanged", "failed", "rejected");

    // Iterations run from a second (a shell command) to the 5-minute default timeout and past it
    // (LLM loops); the library's default buckets stop at 10s, which would put most in +Inf.
    private static final double[] ITERATION_BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter reloads;
    private final Histogram reloadDuration;
    private final Gauge lastReloadSuccess;
    private final Counter iterations;
    private final Histogram iterationDuration;
    private final Counter llmCalls;
    private final Counter llmTokens;
    /** Whether {@link #runtime} asked for the JVM's series, and whether the first scrape added them. */
    private volatile boolean jvmWanted;
    private volatile boolean jvmRegistered;
    private final Counter llmCost;

    public TaskdMetrics(MetricSources sources) {
        reloads = Counter.builder().name("taskd_reloads_total")
                .help("Reloads by how they ended: applied, unchanged, failed, rejected.")
                .labelNames("result").register(registry);
        RELOAD_RESULTS.forEach(reloads::initLabelValues);
        // Classic buckets only: the 0.0.4 text format cannot carry native histograms, so keeping
        // them would be work no scrape reads. No exemplars: taskd does no tracing.
        reloadDuration = Histogram.builder().name("taskd_reload_duration_seconds")
                .help("Time from reading the configuration to the end of the reload, any result.")
                .classicOnly().withoutExemplars().register(registry);
        lastReloadSuccess = Gauge.builder().name("taskd_last_reload_success")
                .help("1 when the last reload applied or found nothing to do, 0 when it failed or was rejected.")
                .register(registry);
        lastReloadSuccess.set(1); // the generation the daemon started with is a good one
        iterations = Counter.builder().name("taskd_iterations_total")
                .help("Iterations completed, by loop type and outcome.")
                .labelNames("type", "outcome").register(registry);
        iterationDuration = Histogram.builder().name("taskd_iteration_duration_seconds")
                .help("Wall-clock time of one iteration (action and validation), by loop type.")
                .labelNames("type").classicOnly().classicUpperBounds(ITERATION_BUCKETS).withoutExemplars()
                .register(registry);
        llmCalls = Counter.builder().name("taskd_llm_calls_total")
                .help("LLM requests by provider, model and outcome (ok, rate_limited, retried, failed, cancelled)")
                .labelNames("provider", "model", "outcome").register(registry);
        llmTokens = Counter.builder().name("taskd_llm_tokens_total")
                .help("LLM tokens by provider, model and direction (input, output)")
                .labelNames("provider", "model", "direction").register(registry);
        llmCost = Counter.builder().name("taskd_llm_cost_total")
                .help("What LLM replies cost at llm.providers.*.prices, by loop type and provider")
                .labelNames("type", "provider").register(registry);
        registerGauges(sources);
    }

    private void registerGauges(MetricSources sources) {
        GaugeWithCallback.builder().name("taskd_config_generation")
                .help("The configuration generation in force; +1 per applied reload.")
                .callback(callback -> callback.call(sources.generation().getAsLong())).register(registry);
        GaugeWithCallback.builder().name("taskd_loops")
                .help("Loops by state.").labelNames("state")
                .callback(callback -> sources.loopsByState().get()
                        .forEach((state, count) -> callback.call(count, state)))
                .register(registry);
        GaugeWithCallback.builder().name("taskd_queue_length")
                .help("Loops waiting for a slot.")
                .callback(callback -> callback.call(sources.queueLength().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("taskd_processes_in_use")
                .help("Child processes (commands, validations) running now.")
                .callback(callback -> callback.call(sources.processesInUse().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("taskd_draining")
                .help("1 while the daemon drains (refuses new loops before stopping), else 0.")
                .callback(callback -> callback.call(sources.draining().getAsBoolean() ? 1 : 0)).register(registry);
    }

    /**
     * Adds {@code taskd_storage_writable} (1 while the data dir can be written, else 0) and
     * {@code taskd_storage_transitions_total{to}} ({@code unwritable}, {@code writable}), read
     * from {@code storage} at scrape time. Call once.
     */
    public void storage(StorageHealth storage) {
        GaugeWithCallback.builder().name("taskd_storage_writable")
                .help("1 while the data dir can be written, 0 while it is full or failing (see /v1/status).")
                .callback(callback -> callback.call(storage.writable() ? 1 : 0)).register(registry);
        CounterWithCallback.builder().name("taskd_storage_transitions")
                .help("Times the data dir became unwritable, and writable again.").labelNames("to")
                .callback(callback -> {
                    callback.call(storage.transitions(false), "unwritable");
                    callback.call(storage.transitions(true), "writable");
                }).register(registry);
    }

    /**
     * Adds {@code taskd_build_info{version,jdk}} now and the client library's JVM and process
     * series ({@code jvm_*}, {@code process_*}) at the first scrape: registering those reads the
     * JVM's management beans, tens of milliseconds a start that no one scrapes need not spend.
     * Call once.
     */
    public void runtime(String version) {
        Info.builder().name("taskd_build_info").help("The taskd version and the JDK it runs on; always 1.")
                .labelNames("version", "jdk").register(registry)
                .addLabelValues(version, System.getProperty("java.runtime.version", Runtime.version().toString()));
        jvmWanted = true;
    }

    /** Counts a reload; as a subscriber it runs on the subscriber's thread, after the commit. */
    @Override
    public void accept(ReloadEvent event) {
        reload(event.result(), event.duration());
    }

    /** Counts one reload that ended with {@code result} after {@code duration}. */
    public void reload(ReloadResult result, Duration duration) {
        reloads.labelValues(result.label()).inc();
        reloadDuration.observe(seconds(duration));
        boolean success = switch (result) {
            case ReloadResult.Applied applied -> true;
            case ReloadResult.Unchanged unchanged -> true;
            case ReloadResult.Failed failed -> false;
            case ReloadResult.Rejected rejected -> false;
        };
        lastReloadSuccess.set(success ? 1 : 0);
    }

    /** Counts one LLM request attempt and its tokens; for the gateway's call listener. */
    public void llmCall(CallRecord call) {
        String outcome = call.outcome().name().toLowerCase(Locale.ROOT);
        llmCalls.labelValues(call.provider(), call.model(), outcome).inc();
        if (call.usage() != null) {
            llmTokens.labelValues(call.provider(), call.model(), "input").inc(call.usage().input());
            llmTokens.labelValues(call.provider(), call.model(), "output").inc(call.usage().output());
        }
    }

    /** Counts what a loop event says: a completed iteration, what an LLM reply cost. */
    public void loop(LoopEvent event) {
        switch (event) {
            case LoopEvent.IterationCompleted done -> iteration(done.type(), LoopEvent.label(done.outcome()), done.duration());
            case LoopEvent.LlmReplied replied -> llmCost(replied.type(), replied.provider(), replied.cost());
            default -> {
            }
        }
    }

    /** Adds what one LLM reply of a loop of {@code type} cost; a reply without a price adds nothing. */
    public void llmCost(String type, String provider, double cost) {
        if (cost > 0) {
            llmCost.labelValues(type, provider).inc(cost);
        }
    }

    /**
     * Counts one completed iteration of a loop of {@code type}.
     *
     * @param outcome how it ended, as the store names it in lower case ({@code passed}, ...)
     */
    public void iteration(String type, String outcome, Duration duration) {
        iterations.labelValues(type, outcome).inc();
        iterationDuration.labelValues(type).observe(seconds(duration));
    }

    /**
     * Every metric in the Prometheus text exposition format, version 0.0.4 ({@link #CONTENT_TYPE}).
     *
     * @throws RuntimeException whatever a {@link MetricSources} supplier threw
     */
    public String scrape() {
        if (jvmWanted && !jvmRegistered) {
            registerJvm();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Synchronized so that a scrape racing the first one waits for the series rather than lack them. */
    private synchronized void registerJvm() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    /**
     * The name of every metric registered, as the exposition writes it ({@code _total} on counters),
     * also those with no series yet, which a scrape leaves out: for the README's table of metrics.
     */
    public List<String> names() {
        return registry.scrape().stream()
                .map(metric -> metric.getMetadata().getPrometheusName() + suffix(metric))
                .sorted()
                .toList();
    }

    /** What the text exposition appends to a metric's name: {@code _total} to counters, {@code _info} to infos. */
    private static String suffix(MetricSnapshot metric) {
        return switch (metric) {
            case CounterSnapshot counter -> "_total";
            case InfoSnapshot info -> "_info";
            default -> "";
        };
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
