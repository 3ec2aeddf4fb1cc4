package dev.taskd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baselines of {@link CommandIterationBench}: bash spawning the same {@code /bin/sh -c}
 * processes a taskd loop does. Each worker times itself with {@code $EPOCHREALTIME} (bash 5), so
 * bash's own start is not counted, as the daemon's iteration times do not count its start.
 */
final class BashLoops {

    /** A command iteration: action {@code true}, then validation {@code false}, until the count. */
    private static final String ITERATIONS = """
            echo "$EPOCHREALTIME"
            i=0
            until [ "$i" -ge "$1" ]; do
              /bin/sh -c true
              /bin/sh -c false
              i=$((i + 1))
            done
            echo "$EPOCHREALTIME"
            """;

    /** A one-iteration loop: action {@code true} and validation {@code true}, once per count. */
    private static final String PASSES = """
            echo "$EPOCHREALTIME"
            i=0
            while [ "$i" -lt "$1" ]; do
              /bin/sh -c true
              until /bin/sh -c true; do :; done
              i=$((i + 1))
            done
            echo "$EPOCHREALTIME"
            """;

    private BashLoops() {
    }

    /**
     * {@code workers} bash processes at once, each running {@code iterations} command iterations;
     * milliseconds from the first worker's start to the last one's end.
     */
    static double iterations(int iterations, int workers) throws IOException, InterruptedException {
        List<Integer> shares = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            shares.add(iterations);
        }
        return run(ITERATIONS, shares);
    }

    /** {@code parallel} workers sharing {@code passes} one-iteration loops; milliseconds, as above. */
    static double passes(int passes, int parallel) throws IOException, InterruptedException {
        List<Integer> shares = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            shares.add(passes / parallel + (i < passes % parallel ? 1 : 0));
        }
        return run(PASSES, shares);
    }

    private static double run(String script, List<Integer> shares) throws IOException, InterruptedException {
        List<Process> workers = new ArrayList<>();
        for (int share : shares) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", script, "bench", Integer.toString(share))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("LC_ALL", "C"); // $EPOCHREALTIME's decimal point
            workers.add(builder.start());
        }
        double first = Double.MAX_VALUE;
        double last = 0;
        for (Process worker : workers) {
            String[] stamps = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                    .split("\\s+");
            if (!worker.waitFor(600, TimeUnit.SECONDS) || worker.exitValue() != 0 || stamps.length != 2) {
                throw new IllegalStateException("a bash baseline worker failed or hung (printed "
                        + String.join(" ", stamps) + "; needs bash 5 for $EPOCHREALTIME)");
            }
            first = Math.min(first, Double.parseDouble(stamps[0]));
            last = Math.max(last, Double.parseDouble(stamps[1]));
        }
        return (last - first) * 1000;
    }
}
