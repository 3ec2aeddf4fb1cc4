package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Heap after GC, threads and open files after every 1,000 reloads, against the same after a
 * warm-up of 100. Each reload changes something different — a loop type, a template, a script —
 * always to content never seen before, so a cache that never forgets would show here.
 */
final class ReloadMemoryBench implements Benchmark {

    @Override
    public String name() {
        return "reload-memory";
    }

    @Override
    public String what() {
        return "heap after GC, threads, open files after each 1,000 reloads vs after 100 warm-up reloads";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int perRound = bench.size(1000, 50);
        Figure heap = new Figure("heap after GC", "MiB", "after warm-up", Target.ratioAtMost(1.05));
        Figure threads = new Figure("threads", "", "after warm-up", Target.ratioAtMost(1.0));
        Figure files = new Figure("open files", "", "after warm-up", Target.ratioAtMost(1.0));
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [reload]
                watch = false
                keep-snapshots = 50
                """)) {
            daemon.file("templates/edited.mustache", "Task {{task}}, version 0\n");
            daemon.file("loop-types/edited.js", script(0));
            daemon.file("loop-types/edited.toml", loopType(0));
            daemon.file("loop-types/steady.toml", "command = \"true\"\nmax-iterations = 3\n");
            daemon.start();
            int reloads = 1;   // content 0 is what the daemon starts with; every reload must change something
            for (; reloads <= bench.size(100, 10); reloads++) {
                reload(daemon, reloads);
            }
            double heapWarm = daemon.heapAfterGcMiB();
            int threadsWarm = daemon.threads();
            int filesWarm = daemon.openFiles();
            Bench.progress("after warm-up: heap %.1f MiB, %d threads, %d files", heapWarm, threadsWarm, filesWarm);
            for (int round = 0; round < bench.rounds(); round++) {
                for (int i = 0; i < perRound; i++) {
                    reload(daemon, reloads++);
                }
                heap.add(daemon.heapAfterGcMiB(), heapWarm);
                threads.add(daemon.threads(), threadsWarm);
                files.add(daemon.openFiles(), filesWarm);
                Bench.progress("after %d reloads: heap %.1f MiB, %d threads, %d files", reloads,
                        heap.values.getLast(), daemon.threads(), daemon.openFiles());
            }
        }
        return List.of(heap, threads, files);
    }

    /** Changes the loop type, the template or the script, in turn, to new content; reloads. */
    private static void reload(BenchDaemon daemon, int n) throws IOException {
        switch (n % 3) {
            case 0 -> daemon.file("loop-types/edited.toml", loopType(n));
            case 1 -> daemon.file("templates/edited.mustache", "Task {{task}}, version " + n + "\n");
            default -> daemon.file("loop-types/edited.js", script(n));
        }
        JsonNode event = daemon.http.post("/v1/reload", "");
        if (!"applied".equals(event.path("result").asText())) {
            throw new IllegalStateException("reload " + n + " was not applied: " + event);
        }
    }

    private static String loopType(int n) {
        return """
                description = "edited by the reload-memory benchmark"
                script = "edited.js"
                template = "edited"
                inputs = [{ name = "task", default = "x" }]
                max-iterations = %d
                """.formatted(3 + n);
    }

    private static String script(int n) {
        return "// version %d\nexport function iterate(ctx) { ctx.complete(\"v%d\"); }\n".formatted(n, n);
    }
}
