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
import java.util.concurrent.TimeUnit;

/**
 * Loops whose action and validation are both {@code true} (each run by {@code /bin/sh -c}, as
 * taskd runs every command), against bash {@code until} loops spawning the same two processes
 * per iteration, with the same parallelism (max-loops = bash workers = cores).
 *
 * <p>So that submitting over HTTP is not what is timed, every loop runs {@code after} a gate
 * loop that passes once the benchmark creates a file; the time is from the gate's end to the
 * last loop's end, both as the daemon recorded them.
 */
final class CommandIterationBench implements Benchmark {

    @Override
    public String name() {
        return "command-iterations";
    }

    @Override
    public String what() {
        return "loops with action and validation `true` vs a bash `until` loop spawning the same two processes";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int loops = bench.size(400, 40);
        int parallel = Runtime.getRuntime().availableProcessors();
        Figure perIteration = new Figure("time per iteration (2 processes)", "ms", "bash until loop",
                Target.ratioAtMost(1.3));
        Figure rate = new Figure("iterations per second", "/s", "bash until loop", null);
        Figure posix = new Figure("one start of /bin/sh -c true, posix_spawn (FFM, taskd)", "ms", "bash", null);
        Figure jdk = new Figure("one start of /bin/sh -c true, JDK ProcessBuilder", "ms", "bash", null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
                max-loops = %d
                [reload]
                watch = false
                """.formatted(parallel))) {
            Path go = daemon.home.resolve("go");
            daemon.file("loop-types/gate.toml", """
                    description = "passes once the benchmark creates %s"
                    command = "true"
                    max-iterations = 100000
                    delay = "20ms"
                    [validation]
                    command = "test -f '%s'"
                    """.formatted(go.getFileName(), go));
            daemon.file("loop-types/true.toml", """
                    description = "one iteration: action true, validation true"
                    command = "true"
                    max-iterations = 1
                    [validation]
                    command = "true"
                    """);
            daemon.start();
            timeTaskd(daemon, go, bench.size(100, 10));
            bash(bench.size(100, 10), parallel);
            int starts = bench.size(500, 20);
            SpawnOptions.posixSpawn(starts, daemon.home);
            SpawnOptions.processBuilder(starts, daemon.home);
            for (int round = 0; round < bench.rounds(); round++) {
                double taskd = timeTaskd(daemon, go, loops);
                double bash = bash(loops, parallel);
                perIteration.add(taskd / loops, bash / loops);
                rate.add(loops / (taskd / 1000), loops / (bash / 1000));
                Bench.progress("round %d: taskd %.0f ms, bash %.0f ms for %d iterations", round + 1, taskd, bash, loops);
                double shell = SpawnOptions.bash(starts);
                posix.add(SpawnOptions.posixSpawn(starts, daemon.home), shell);
                jdk.add(SpawnOptions.processBuilder(starts, daemon.home), shell);
            }
        }
        return List.of(perIteration, rate, posix, jdk);
    }

    /** Milliseconds from the gate loop's end to the last of {@code loops} loops' end. */
    private static double timeTaskd(BenchDaemon daemon, Path go, int loops) throws Exception {
        Files.deleteIfExists(go);
        String gate = daemon.http.submit("gate");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            ids.add(daemon.http.submit("true", Map.of(), List.of(gate)));
        }
        Files.createFile(go);
        Instant gateEnd = lastIterationEnd(daemon, gate);
        Instant last = gateEnd;
        for (String id : ids) {
            Instant end = lastIterationEnd(daemon, id);
            last = end.isAfter(last) ? end : last;
        }
        return Duration.between(gateEnd, last).toNanos() / 1e6;
    }

    /** Waits for the loop to succeed; the end of its last iteration. */
    private static Instant lastIterationEnd(BenchDaemon daemon, String id) throws IOException {
        Instant deadline = Instant.now().plusSeconds(600);
        String state;
        while (!(state = daemon.http.get("/v1/loops/" + id).path("state").asText()).equals("succeeded")) {
            if (state.matches("failed|cancelled") || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("loop " + id + " is " + state + ", expected it to succeed");
            }
            Bench.sleep(Duration.ofMillis(20));
        }
        JsonNode iterations = daemon.http.get("/v1/loops/" + id + "/iterations").path("iterations");
        return Instant.parse(iterations.get(iterations.size() - 1).path("ended_at").asText());
    }

    /** {@code parallel} bash processes sharing {@code iterations}; wall milliseconds until all exit. */
    private static double bash(int iterations, int parallel) throws IOException, InterruptedException {
        String loop = """
                n=0
                while [ "$n" -lt "$1" ]; do
                  /bin/sh -c true
                  until /bin/sh -c true; do :; done
                  n=$((n + 1))
                done
                """;
        List<Process> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < parallel; i++) {
            int share = iterations / parallel + (i < iterations % parallel ? 1 : 0);
            workers.add(new ProcessBuilder("bash", "-c", loop, "bench", Integer.toString(share))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process worker : workers) {
            if (!worker.waitFor(600, TimeUnit.SECONDS) || worker.exitValue() != 0) {
                throw new IllegalStateException("a bash baseline worker failed or hung");
            }
        }
        return (System.nanoTime() - started) / 1e6;
    }
}
