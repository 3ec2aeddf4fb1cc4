package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 10,000 running loops whose script iterates, then waits 1 s: heap after GC and OS threads
 * (against the idle daemon), CPU per iteration (against 100 such loops), iterations per second,
 * and how long a new submission waits for its first iteration to start (against the idle daemon).
 */
final class ScaleBench implements Benchmark {

    private static final int SMALL = 100;

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String what() {
        return "10,000 running script loops (1 s delay): heap, threads, CPU/iteration, submission wait";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int loops = bench.size(10_000, 500);
        Duration window = Duration.ofSeconds(bench.size(20, 5));
        String label = "%,d loops".formatted(loops);
        Figure heap = new Figure("heap after GC, " + label, "MiB", "idle daemon", Target.atMost(2048, "MiB"));
        Figure threads = new Figure("OS threads, " + label, "", "idle daemon", null);
        Figure cpu = new Figure("CPU per iteration, " + label, "ms", SMALL + " loops", null);
        Figure rate = new Figure("iterations per second, " + label, "/s", null, null);
        Figure wait = new Figure("submission wait to first iteration, " + label, "ms", "idle daemon",
                Target.ratioAtMost(5));
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
                max-loops = %d
                max-queued = %d
                drain-timeout = "2s"
                [reload]
                watch = false
                """.formatted(loops * 2, loops * 2))) {
            daemon.file("loop-types/tick.js", "export function iterate(ctx) { ctx.state.n = (ctx.state.n ?? 0) + 1; }\n");
            daemon.file("loop-types/tick.toml", """
                    description = "a script iteration, then 1 s of rest, for ever"
                    script = "tick.js"
                    max-iterations = 1000000
                    delay = "1s"
                    """);
            daemon.file("loop-types/probe.js", "export function iterate(ctx) { ctx.complete(\"started\"); }\n");
            daemon.file("loop-types/probe.toml", "description = \"one iteration\"\nscript = \"probe.js\"\n");
            daemon.start();
            double idleHeap = daemon.heapAfterGcMiB();
            int idleThreads = daemon.threads();
            submissionWait(daemon, 5);
            double idleWait = submissionWait(daemon, 10);
            List<String> small = daemon.http.submitAll("tick", SMALL);
            awaitRunning(daemon, SMALL);
            Bench.sleep(Duration.ofSeconds(bench.size(10, 2)));   // warm-up: JIT compilation is not per-iteration cost
            double smallCpu = cpuPerIteration(daemon, window)[0];
            for (String id : small) {
                daemon.http.send("DELETE", "/v1/loops/" + id, null);
            }
            Bench.progress("idle: heap %.1f MiB, %d threads, wait %.1f ms; %d loops: %.3f ms CPU/iteration",
                    idleHeap, idleThreads, idleWait, SMALL, smallCpu);
            long rampStart = System.nanoTime();
            daemon.http.submitAll("tick", loops);
            awaitRunning(daemon, loops);
            Bench.progress("%d loops running after %.1f s", loops, (System.nanoTime() - rampStart) / 1e9);
            Bench.sleep(Duration.ofSeconds(bench.size(10, 2)));   // warm-up: let the start-up wave pass
            for (int round = 0; round < bench.rounds(); round++) {
                double[] cpuAndRate = cpuPerIteration(daemon, window);
                cpu.add(cpuAndRate[0], smallCpu);
                rate.add(cpuAndRate[1]);
                wait.add(submissionWait(daemon, 10), idleWait);
                heap.add(daemon.heapAfterGcMiB(), idleHeap);
                threads.add(daemon.threads(), idleThreads);
                Bench.progress("round %d: heap %.0f MiB, %d threads, %.3f ms CPU/iteration, %.0f iterations/s, wait %.0f ms",
                        round + 1, heap.values.getLast(), threads.values.getLast().intValue(), cpuAndRate[0],
                        cpuAndRate[1], wait.values.getLast());
            }
        }
        return List.of(heap, threads, cpu, rate, wait);
    }

    private static void awaitRunning(BenchDaemon daemon, int count) throws IOException {
        Instant deadline = Instant.now().plusSeconds(600);
        while (daemon.http.get("/v1/status").path("running").asInt() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(count + " loops were not running after 600 s");
            }
            Bench.sleep(Duration.ofMillis(200));
        }
    }

    /** {CPU milliseconds per iteration, iterations per second} over the window. */
    private static double[] cpuPerIteration(BenchDaemon daemon, Duration window) throws IOException {
        double cpu0 = daemon.cpuSeconds();
        double iterations0 = daemon.http.metricSum("taskd_iterations_total");
        long started = System.nanoTime();
        Bench.sleep(window);
        double cpu1 = daemon.cpuSeconds();
        double iterations1 = daemon.http.metricSum("taskd_iterations_total");
        double seconds = (System.nanoTime() - started) / 1e9;
        double iterations = iterations1 - iterations0;
        return new double[] {(cpu1 - cpu0) * 1000 / iterations, iterations / seconds};
    }

    /** Median over {@code probes} one-iteration loops of: created → first iteration started, in ms. */
    private static double submissionWait(BenchDaemon daemon, int probes) throws IOException {
        List<Double> waits = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            String id = daemon.http.submit("probe", Map.of(), List.of());
            JsonNode loop;
            Instant deadline = Instant.now().plusSeconds(120);
            while (!(loop = daemon.http.get("/v1/loops/" + id)).path("state").asText().equals("succeeded")) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("probe loop " + id + " did not run within 120 s: " + loop);
                }
                Bench.sleep(Duration.ofMillis(10));
            }
            JsonNode first = daemon.http.get("/v1/loops/" + id + "/iterations").path("iterations").get(0);
            waits.add(Duration.between(Instant.parse(loop.path("created_at").asText()),
                    Instant.parse(first.path("started_at").asText())).toNanos() / 1e6);
        }
        return Stats.median(waits);
    }
}
