package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command iterations as the issue defines them — action {@code true}, validation {@code false},
 * no delay, so the loop iterates until max-iterations — each command run by {@code /bin/sh -c}
 * as taskd runs every command; against bash {@code until} loops spawning the same two processes
 * per iteration ({@link BashLoops}). Once with one loop, once with {@code cores} loops at once
 * (max-loops = cores) against as many bash loops.
 *
 * <p>taskd's time is what the daemon recorded: from the first iteration's start to the last
 * one's end, so submitting over HTTP and the loop's own start are not timed. Every iteration is
 * in the store, synced, before the next begins. The loops run {@code after} a gate loop that
 * passes once the benchmark creates a file, so that the {@code cores} loops start together.
 *
 * <p>Extra rows without a target: loops of one iteration each (action and validation
 * {@code true}), which time a loop's start and end too, and one spawn by each way to start a
 * command ({@link SpawnOptions}).
 */
final class CommandIterationBench implements Benchmark {

    @Override
    public String name() {
        return "command-iterations";
    }

    @Override
    public String what() {
        return "command iterations (action `true`, validation `false`) of one loop and of cores loops vs bash `until`"
                + " loops spawning the same two processes";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int iterations = bench.size(300, 20);
        int passes = bench.size(200, 20);
        int cores = Runtime.getRuntime().availableProcessors();
        Figure single = new Figure("time per iteration, one loop", "ms", "bash until loop", Target.ratioAtMost(1.3));
        Figure parallel = new Figure("time per iteration, " + cores + " loops at once (max-loops = cores)", "ms",
                cores + " bash until loops", Target.ratioAtMost(1.3));
        Figure onePass = new Figure("one-iteration loops (true, true), per loop, max-loops = cores", "ms",
                "bash, as many in parallel", null);
        Figure posix = new Figure("one start of /bin/sh -c true, posix_spawn (FFM, taskd)", "ms", "bash", null);
        Figure jdk = new Figure("one start of /bin/sh -c true, JDK ProcessBuilder", "ms", "bash", null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
                max-loops = %d
                [reload]
                watch = false
                """.formatted(cores))) {
            Path go = daemon.home.resolve("go");
            writeSpinTypes(daemon, go, iterations);
            daemon.file("loop-types/pass.toml", """
                    description = "one iteration: action true, validation true"
                    command = "true"
                    max-iterations = 1
                    [validation]
                    command = "true"
                    """);
            daemon.start();
            spin(daemon, go, 1, iterations); // warm-up, not recorded
            spin(daemon, go, cores, iterations);
            BashLoops.iterations(iterations, cores);
            passes(daemon, go, bench.size(50, 10));
            int starts = bench.size(500, 20);
            SpawnOptions.posixSpawn(starts, daemon.home);
            SpawnOptions.processBuilder(starts, daemon.home);
            for (int round = 0; round < bench.rounds(); round++) {
                double taskd = spin(daemon, go, 1, iterations) / iterations;
                double bash = BashLoops.iterations(iterations, 1) / iterations;
                single.add(taskd, bash);
                double taskdAll = spin(daemon, go, cores, iterations) / iterations;
                double bashAll = BashLoops.iterations(iterations, cores) / iterations;
                parallel.add(taskdAll, bashAll);
                Bench.progress("round %d: per iteration, one loop taskd %.2f ms, bash %.2f ms; %d loops taskd %.2f ms,"
                        + " bash %.2f ms", round + 1, taskd, bash, cores, taskdAll, bashAll);
                onePass.add(passes(daemon, go, passes) / passes, BashLoops.passes(passes, cores) / passes);
                double shell = SpawnOptions.bash(starts);
                posix.add(SpawnOptions.posixSpawn(starts, daemon.home), shell);
                jdk.add(SpawnOptions.processBuilder(starts, daemon.home), shell);
            }
        }
        return List.of(single, parallel, onePass, posix, jdk);
    }

    /**
     * Runs {@code loops} spin loops at once, each to max-iterations; milliseconds from the first
     * iteration's start to the last one's end, as the daemon recorded them.
     */
    /**
     * Writes the loop types {@link #spin} runs: {@code gate}, which holds loops until the
     * benchmark creates {@code go}, and {@code spin}, {@code iterations} command iterations.
     */
    static void writeSpinTypes(BenchDaemon daemon, Path go, int iterations) throws IOException {
        daemon.file("loop-types/gate.toml", """
                description = "passes once the benchmark creates %s"
                command = "true"
                max-iterations = 100000
                delay = "20ms"
                [validation]
                command = "test -f '%s'"
                """.formatted(go.getFileName(), go));
        daemon.file("loop-types/spin.toml", """
                description = "command iterations: action true, validation false, until max-iterations"
                command = "true"
                max-iterations = %d
                delay = "0s"
                [validation]
                command = "false"
                """.formatted(iterations));
    }

    static double spin(BenchDaemon daemon, Path go, int loops, int iterations) throws Exception {
        List<String> ids = gated(daemon, go, "spin", loops);
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (String id : ids) {
            JsonNode done = finished(daemon, id, "failed");
            if (done.size() != iterations) {
                throw new IllegalStateException("loop " + id + " ran " + done.size() + " iterations, expected "
                        + iterations);
            }
            Instant start = Instant.parse(done.get(0).path("started_at").asText());
            Instant end = Instant.parse(done.get(done.size() - 1).path("ended_at").asText());
            double inside = 0;
            for (JsonNode iteration : done) {
                inside += Duration.between(Instant.parse(iteration.path("started_at").asText()),
                        Instant.parse(iteration.path("ended_at").asText())).toNanos() / 1e6;
            }
            Bench.progress("loop %s: %.2f ms per iteration inside it (its two commands), %.2f ms between iterations",
                    id, inside / iterations, (Duration.between(start, end).toNanos() / 1e6 - inside) / iterations);
            first = start.isBefore(first) ? start : first;
            last = end.isAfter(last) ? end : last;
        }
        return Duration.between(first, last).toNanos() / 1e6;
    }

    /** Milliseconds from the gate loop's end to the last of {@code loops} one-iteration loops' end. */
    private static double passes(BenchDaemon daemon, Path go, int loops) throws Exception {
        List<String> ids = gated(daemon, go, "pass", loops);
        Instant gateEnd = lastEnd(finished(daemon, ids.getFirst(), "succeeded"));
        Instant last = gateEnd;
        for (String id : ids.subList(1, ids.size())) {
            Instant end = lastEnd(finished(daemon, id, "succeeded"));
            last = end.isAfter(last) ? end : last;
        }
        return Duration.between(gateEnd, last).toNanos() / 1e6;
    }

    /** Submits {@code count} loops of {@code type} after a gate, then opens it; the gate's id first. */
    private static List<String> gated(BenchDaemon daemon, Path go, String type, int count) throws IOException {
        Files.deleteIfExists(go);
        String gate = daemon.http.submit("gate");
        List<String> ids = new ArrayList<>(List.of(gate));
        for (int i = 0; i < count; i++) {
            ids.add(daemon.http.submit(type, Map.of(), List.of(gate)));
        }
        Files.createFile(go);
        return type.equals("pass") ? ids : ids.subList(1, ids.size());
    }

    private static Instant lastEnd(JsonNode iterations) {
        return Instant.parse(iterations.get(iterations.size() - 1).path("ended_at").asText());
    }

    /** Waits for the loop to reach {@code expected}; its iterations. */
    private static JsonNode finished(BenchDaemon daemon, String id, String expected) throws IOException {
        Instant deadline = Instant.now().plusSeconds(600);
        String state;
        while (!(state = daemon.http.get("/v1/loops/" + id).path("state").asText()).equals(expected)) {
            if (state.matches("succeeded|failed|cancelled") || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("loop " + id + " is " + state + ", expected " + expected);
            }
            // Seldom: each request costs the daemon CPU that the loops being timed share.
            Bench.sleep(Duration.ofMillis(250));
        }
        return daemon.http.get("/v1/loops/" + id + "/iterations").path("iterations");
    }
}
