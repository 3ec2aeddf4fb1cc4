package dev.taskd.bench;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether the dashboard slows the daemon: with 1,000 loops running, the command-iterations
 * figure (one loop's time per iteration, measured as {@link CommandIterationBench} does) and the
 * api figures ({@code GET /v1/status} and {@code POST /v1/loops} requests/s from
 * {@value #CLIENTS} loopback clients, as {@link ApiThroughputBench} does) with the dashboard open
 * in a headless Chromium ({@link HeadlessDashboard}: its scripts run and its event stream is
 * live, so every event the measured work makes reaches the page, which re-reads what it shows)
 * against the same figures without it, in the same round. Rounds alternate which comes first,
 * so that the loops queued by the submissions weigh on both alike.
 *
 * <p>The 1,000 loops are script loops that ran their first iteration and wait out an hour's
 * delay: running, each with its runner, but spending nothing, so the comparison sees the page's
 * cost and not theirs.
 */
final class DashboardBench implements Benchmark {

    private static final int CLIENTS = 16;

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public String what() {
        return "command-iterations and api figures with 1,000 loops running, with the dashboard open in headless"
                + " Chromium vs without it";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int background = bench.size(1000, 50);
        int iterations = bench.size(300, 20);
        Duration window = Duration.ofSeconds(bench.size(5, 1));
        Figure spin = new Figure("time per iteration, one loop, %,d loops running, dashboard open".formatted(background),
                "ms", "dashboard closed", Target.ratioAtMost(1.1));
        Figure status = new Figure("GET /v1/status, %,d loops running, dashboard open".formatted(background), "req/s",
                "dashboard closed", Target.ratioAtLeast(0.9));
        Figure submit = new Figure("POST /v1/loops, %,d loops running, dashboard open".formatted(background), "req/s",
                "dashboard closed", Target.ratioAtLeast(0.9));
        Figure browserCpu = new Figure("Chromium's CPU while the dashboard is open, in cores", "cores", null, null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
                max-loops = %d
                max-queued = 1000000
                [reload]
                watch = false
                """.formatted(background + 10))) {
            Path go = daemon.home.resolve("go");
            daemon.file("loop-types/hold.js", "export function iterate(ctx) { }\n");
            daemon.file("loop-types/hold.toml", """
                    description = "runs one iteration, then waits an hour before the next"
                    script = "hold.js"
                    max-iterations = 1000000
                    delay = "1h"
                    """);
            CommandIterationBench.writeSpinTypes(daemon, go, iterations);
            daemon.file("loop-types/waiting.toml", """
                    description = "waits for a hold loop, which never ends"
                    command = "true"
                    [validation]
                    command = "true"
                    """);
            daemon.start();
            String hold = daemon.http.submit("hold");
            daemon.http.submitAll("hold", background - 1);
            awaitRunning(daemon, background);
            LoadGenerator load = new LoadGenerator(CLIENTS);
            HttpRequest statusRequest = LoadGenerator.get(daemon.http.base(), "/v1/status");
            HttpRequest submitRequest = LoadGenerator.post(daemon.http.base(), "/v1/loops",
                    "{\"type\":\"waiting\",\"after\":[\"" + hold + "\"]}");
            Phase phase = () -> new double[] {CommandIterationBench.spin(daemon, go, 1, iterations) / iterations,
                    load.requestsPerSecond(statusRequest, window), load.requestsPerSecond(submitRequest, window)};
            phase.measure(); // warm-up, not recorded
            phase.measure();
            try (HeadlessDashboard warm = HeadlessDashboard.open(daemon.http.base(), daemon.home)) {
                phase.measure();
            }
            for (int round = 0; round < bench.rounds(); round++) {
                boolean openFirst = round % 2 == 1;
                double[] closed = openFirst ? null : phase.measure();
                double[] open;
                try (HeadlessDashboard dashboard = HeadlessDashboard.open(daemon.http.base(), daemon.home)) {
                    Bench.sleep(Duration.ofSeconds(2)); // the browser's own start settles
                    double cpu = dashboard.cpuSeconds();
                    long started = System.nanoTime();
                    open = phase.measure();
                    browserCpu.add((dashboard.cpuSeconds() - cpu) / ((System.nanoTime() - started) / 1e9));
                }
                if (openFirst) {
                    closed = phase.measure();
                }
                spin.add(open[0], closed[0]);
                status.add(open[1], closed[1]);
                submit.add(open[2], closed[2]);
                Bench.progress("round %d: per iteration %.2f ms open, %.2f ms closed; status %.0f/s open, %.0f/s closed;"
                        + " submit %.0f/s open, %.0f/s closed; Chromium used %.2f cores", round + 1, open[0], closed[0], open[1],
                        closed[1], open[2], closed[2], browserCpu.values.getLast());
            }
        }
        return List.of(spin, status, submit, browserCpu);
    }

    /** One measurement of the three figures: ms per iteration, status req/s, submit req/s. */
    @FunctionalInterface
    private interface Phase {
        double[] measure() throws Exception;
    }

    /** Waits until {@code count} loops run and each has run its first iteration. */
    private static void awaitRunning(BenchDaemon daemon, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (daemon.http.get("/v1/status").path("loops").path("running").asInt() < count
                || daemon.http.metricSum("taskd_iterations_total") < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + count + " background loops did not all run an iteration"
                        + " within 5 minutes; status: " + daemon.http.get("/v1/status").path("loops"));
            }
            Bench.sleep(Duration.ofMillis(500));
        }
        Bench.progress("%,d loops running, each waiting out its delay", count);
    }
}
