package dev.taskd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./taskd start} → {@code /v1/ready} answers 200, and the {@code ./taskd status} round
 * trip, on the shipped loop types and templates with the data of the previous start (a restart,
 * as systemd does it). Each start-up cache the launcher offers (TASKD_STARTUP_CACHE = none, cds,
 * aot) is measured against none in the same round; "default" is what the launcher picks itself.
 * The default's {@code taskd status} is held to 150 ms against a new JVM that only GETs
 * /v1/health ({@link HealthProbe}), both the median of five runs per round.
 */
final class StartupBench implements Benchmark {

    private static final List<String> VARIANTS = List.of("default", "none", "cds", "aot");

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String what() {
        return "./taskd start -> ready and ./taskd status round trip, per launcher start-up cache, vs no cache";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        List<Figure> ready = new ArrayList<>();
        List<Figure> status = new ArrayList<>();
        for (String variant : VARIANTS) {
            Target target = variant.equals("default") ? Target.atMost(800, "ms") : null;
            ready.add(new Figure("start → ready, " + variant, "ms", variant.equals("none") ? null : "none", target));
            status.add(variant.equals("default")
                    ? new Figure("taskd status, default", "ms", "JVM GET /v1/health", Target.atMost(150, "ms"))
                    : new Figure("taskd status, " + variant, "ms", variant.equals("none") ? null : "none", null));
        }
        Map<String, BenchDaemon> daemons = new java.util.LinkedHashMap<>();
        try {
            for (String variant : VARIANTS) {
                BenchDaemon daemon = new BenchDaemon(bench, name() + "-" + variant, SHIPPED_LLM,
                        variant.equals("default") ? Map.of() : Map.of("TASKD_STARTUP_CACHE", variant));
                daemons.put(variant, daemon);
                copyShipped(bench.root(), daemon);
                for (int i = 0; i < 2; i++) {   // warm-up: the first start may train a cache
                    startAndStop(bench, daemon);
                }
            }
            for (int round = 0; round < bench.rounds(); round++) {
                double[][] measured = new double[VARIANTS.size()][];
                for (int v = 0; v < VARIANTS.size(); v++) {
                    measured[v] = startAndStop(bench, daemons.get(VARIANTS.get(v)));
                }
                int none = VARIANTS.indexOf("none");
                for (int v = 0; v < VARIANTS.size(); v++) {
                    ready.get(v).add(measured[v][0], measured[none][0]);
                    status.get(v).add(measured[v][1], v == 0 ? measured[0][2] : measured[none][1]);
                    Bench.progress("round %d %s: ready %.0f ms, status %.0f ms", round + 1, VARIANTS.get(v),
                            measured[v][0], measured[v][1]);
                }
            }
        } finally {
            for (BenchDaemon daemon : daemons.values()) {
                daemon.close();
            }
        }
        List<Figure> figures = new ArrayList<>(ready);
        figures.addAll(status);
        return figures;
    }

    /** Runs of {@code taskd status} (and of the baseline) per start; the round records their median. */
    private static final int STATUS_RUNS = 5;

    /**
     * Starts, times {@code ./taskd status} (the launcher included) and the baseline, a new JVM
     * doing one GET of /v1/health, each {@value #STATUS_RUNS} times, stops: {ready ms, status
     * median ms, baseline median ms}.
     */
    private static double[] startAndStop(Bench bench, BenchDaemon daemon) throws Exception {
        double ready = daemon.start();
        awaitQuiet(daemon);
        double[] status = new double[STATUS_RUNS];
        double[] baseline = new double[STATUS_RUNS];
        for (int i = 0; i < STATUS_RUNS; i++) {
            ProcessBuilder taskd = new ProcessBuilder(bench.root().resolve("taskd").toString(), "status",
                    "--url", daemon.http.base());
            taskd.environment().putAll(daemon.environment());
            status[i] = timed(taskd);
            baseline[i] = timed(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), HealthProbe.class.getName(),
                    daemon.http.base() + "/v1/health"));
        }
        daemon.stop(java.time.Duration.ofSeconds(60));
        return new double[] {ready, median(status), median(baseline)};
    }

    /**
     * Waits, at most 30 s, until the daemon uses under 5 % of a core over 250 ms: once ready it
     * warms GraalJS up on the other threads, and a client timed meanwhile measures that contention,
     * not its own start.
     */
    private static void awaitQuiet(BenchDaemon daemon) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        double before = daemon.cpuSeconds();
        while (System.nanoTime() < deadline) {
            Bench.sleep(java.time.Duration.ofMillis(250));
            double now = daemon.cpuSeconds();
            if (now - before < 0.0125) {
                return;
            }
            before = now;
        }
    }

    /** How long the process took, start to exit, in ms; it must exit 0. */
    private static double timed(ProcessBuilder builder) throws Exception {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed");
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void copyShipped(Path root, BenchDaemon daemon) throws IOException {
        for (String directory : List.of("loop-types", "templates")) {
            try (Stream<Path> files = Files.list(root.resolve(directory))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    daemon.file(directory + "/" + file.getFileName(), Files.readString(file));
                }
            }
        }
    }

    /** The shipped [llm] tables, which the shipped ralph type needs. */
    private static final String SHIPPED_LLM = """
            [llm]
            default = "local/qwen"

            [llm.providers.local]
            kind = "openai"
            base-url = "http://127.0.0.1:8080/v1"
            api-key-env = "LOCAL_LLM_KEY"
            """;
}
