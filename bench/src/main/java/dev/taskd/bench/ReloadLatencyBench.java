package dev.taskd.bench;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File save → new generation live, polled through {@code /v1/status}, against its floor: the
 * debounce setting plus how long the kernel's file notification takes to reach a JVM
 * WatchService on the same file system (measured here, in the same run).
 */
final class ReloadLatencyBench implements Benchmark {

    private static final int DEBOUNCE_MS = 250;

    @Override
    public String name() {
        return "reload-latency";
    }

    @Override
    public String what() {
        return "save a loop type -> new generation live (watcher, debounce " + DEBOUNCE_MS
                + " ms), p50 and p99 over 100 saves per round, vs debounce + measured inotify latency";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int saves = bench.size(100, 10);
        Figure p50 = new Figure("save → live p50", "ms", "debounce + inotify p50", Target.atMost(300, "ms"));
        Figure p99 = new Figure("save → live p99", "ms", "debounce + inotify p99", Target.atMost(600, "ms"));
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [reload]
                watch = true
                debounce = "%dms"
                resync-interval = "1h"
                """.formatted(DEBOUNCE_MS))) {
            daemon.file("loop-types/edited.toml", loopType(1));
            daemon.start();
            int value = 2;
            for (int i = 0; i < bench.size(20, 3); i++) {
                saveAndAwait(daemon, value++);
            }
            for (int round = 0; round < bench.rounds(); round++) {
                List<Double> latencies = new ArrayList<>();
                for (int i = 0; i < saves; i++) {
                    latencies.add(saveAndAwait(daemon, value++));
                }
                List<Double> floor = inotifyLatencies(bench, saves);
                p50.add(Stats.percentile(latencies, 50), DEBOUNCE_MS + Stats.percentile(floor, 50));
                p99.add(Stats.percentile(latencies, 99), DEBOUNCE_MS + Stats.percentile(floor, 99));
                Bench.progress("round %d: p50 %.0f ms, p99 %.0f ms; inotify p50 %.2f ms", round + 1,
                        Stats.percentile(latencies, 50), Stats.percentile(latencies, 99), Stats.percentile(floor, 50));
            }
        }
        return List.of(p50, p99);
    }

    /** Writes a new max-iterations in place (as `echo > file` does); milliseconds until it is live. */
    private static double saveAndAwait(BenchDaemon daemon, int value) throws IOException {
        long before = daemon.http.generation();
        long saved = System.nanoTime();
        Files.writeString(daemon.home.resolve("loop-types/edited.toml"), loopType(value));
        long deadline = saved + Duration.ofSeconds(10).toNanos();
        while (daemon.http.generation() == before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a save was not live after 10 s (generation still " + before + ")");
            }
            Bench.sleep(Duration.ofMillis(2));
        }
        double latency = (System.nanoTime() - saved) / 1e6;
        Bench.sleep(Duration.ofMillis(50));   // let the next save start a fresh debounce window
        return latency;
    }

    private static String loopType(int maxIterations) {
        return """
                description = "edited by the reload-latency benchmark"
                command = "true"
                max-iterations = %d
                """.formatted(maxIterations);
    }

    /**
     * Write a file → a WatchService on its directory sees the event, {@code count} times, in ms;
     * in a directory of its own on the same file system as the daemon's, so the daemon sees nothing.
     */
    static List<Double> inotifyLatencies(Bench bench, int count) throws IOException, InterruptedException {
        Path directory = bench.workDir("inotify");
        Path file = directory.resolve("probe.toml");
        Files.writeString(file, "0");
        List<Double> latencies = new ArrayList<>();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            directory.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            for (int i = 0; i < count; i++) {
                long written = System.nanoTime();
                Files.writeString(file, Integer.toString(i));
                var key = watcher.poll(10, TimeUnit.SECONDS);
                if (key == null) {
                    throw new IllegalStateException("no file event within 10 s in " + directory);
                }
                latencies.add((System.nanoTime() - written) / 1e6);
                key.pollEvents();
                key.reset();
                Bench.sleep(Duration.ofMillis(5));
                drain(watcher);
            }
        } finally {
            BenchDaemon.deleteTree(directory);
        }
        return latencies;
    }

    private static void drain(WatchService watcher) {
        for (var key = watcher.poll(); key != null; key = watcher.poll()) {
            key.pollEvents();
            key.reset();
        }
    }
}
