package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/reload} with 1,000 loop types configured: one type changed, against a reload
 * where nothing changed (which still reads every file to find that out); and all 1,000 changed.
 */
final class IncrementalReloadBench implements Benchmark {

    @Override
    public String name() {
        return "incremental-reload";
    }

    @Override
    public String what() {
        return "POST /v1/reload with 1,000 loop types: 1 changed (vs nothing changed), all 1,000 changed";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int types = 1000;
        int repeats = bench.size(20, 3);
        Figure one = new Figure("1 of 1,000 types changed", "ms", "nothing changed", Target.atMost(50, "ms"));
        Figure oneServer = new Figure("1 changed, server-side duration", "ms", null, null);
        Figure all = new Figure("all 1,000 changed", "ms", "1 changed", null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [reload]
                watch = false
                """)) {
            ManyTypes.write(daemon, types);
            daemon.start();
            int next = 6;   // every edit writes a max-iterations never used before, so it always changes
            for (int i = 0; i < bench.size(10, 1); i++) {
                int maxIterations = next++;
                reload(daemon, () -> ManyTypes.writeType(daemon, 500, maxIterations), "applied");
                reload(daemon, () -> { }, "unchanged");
            }
            for (int i = 0; i < bench.size(2, 1); i++) {
                int maxIterations = next++;
                reload(daemon, () -> writeAll(daemon, types, maxIterations), "applied");
            }
            for (int round = 0; round < bench.rounds(); round++) {
                List<Double> oneTimes = new ArrayList<>();
                List<Double> serverTimes = new ArrayList<>();
                List<Double> unchanged = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    int maxIterations = next++;
                    Reload reload = reload(daemon, () -> ManyTypes.writeType(daemon, 500, maxIterations), "applied");
                    oneTimes.add(reload.millis());
                    serverTimes.add(reload.serverMillis());
                    unchanged.add(reload(daemon, () -> { }, "unchanged").millis());
                }
                List<Double> allTimes = new ArrayList<>();
                for (int i = 0; i < bench.size(3, 1); i++) {
                    int maxIterations = next++;
                    allTimes.add(reload(daemon, () -> writeAll(daemon, types, maxIterations), "applied").millis());
                }
                one.add(Stats.median(oneTimes), Stats.median(unchanged));
                oneServer.add(Stats.median(serverTimes));
                all.add(Stats.median(allTimes), Stats.median(oneTimes));
                Bench.progress("round %d: one %.1f ms (server %.0f), unchanged %.1f ms, all %.0f ms", round + 1,
                        Stats.median(oneTimes), Stats.median(serverTimes), Stats.median(unchanged),
                        Stats.median(allTimes));
            }
        }
        return List.of(one, oneServer, all);
    }

    private static void writeAll(BenchDaemon daemon, int types, int maxIterations) throws IOException {
        for (int i = 0; i < types; i++) {
            ManyTypes.writeType(daemon, i, maxIterations);
        }
    }

    /** Edits, then times {@code POST /v1/reload} (the edit is not timed); checks the result. */
    private static Reload reload(BenchDaemon daemon, Edit edit, String expected) throws IOException {
        edit.apply();
        long started = System.nanoTime();
        JsonNode event = daemon.http.post("/v1/reload", "");
        double millis = (System.nanoTime() - started) / 1e6;
        if (!expected.equals(event.path("result").asText())) {
            throw new IllegalStateException("expected a reload " + expected + ", got " + event);
        }
        return new Reload(millis, event.path("duration_ms").asDouble());
    }

    private interface Edit {
        void apply() throws IOException;
    }

    private record Reload(double millis, double serverMillis) {
    }
}
