package dev.taskd.bench;

import dev.taskd.process.Child;
import dev.taskd.process.Spawner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ways to start a command, side by side in one JVM: what chose {@code posix_spawn} through
 * FFM for the daemon. Each start is of {@code /bin/sh -c true} with its output read to the end
 * and its exit reaped, as the daemon does; the baseline is bash starting the same.
 */
final class SpawnOptions {

    private SpawnOptions() {
    }

    /** Milliseconds per start through taskd's {@link Spawner} (posix_spawn, own session). */
    static double posixSpawn(int count, Path dir) throws Exception {
        Spawner spawner = Spawner.best(note -> Bench.progress("spawner: %s", note));
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Child child = spawner.spawn("true", dir, Map.of(), new byte[0], (stream, bytes, offset, length) -> { });
            child.waitFor(Long.MAX_VALUE);
        }
        return (System.nanoTime() - started) / 1e6 / count;
    }

    /** Milliseconds per start through the JDK's ProcessBuilder (jspawnhelper, then the command). */
    static double processBuilder(int count, Path dir) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Process process = new ProcessBuilder(List.of("/bin/sh", "-c", "true")).directory(dir.toFile()).start();
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            process.getErrorStream().readAllBytes();
            process.waitFor();
        }
        return (System.nanoTime() - started) / 1e6 / count;
    }

    /** Milliseconds per start by bash, for the same count. */
    static double bash(int count) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process bash = new ProcessBuilder("bash", "-c", "i=0; while [ $i -lt $1 ]; do /bin/sh -c true; i=$((i+1)); done",
                "bench", Integer.toString(count)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (bash.waitFor() != 0) {
            throw new IllegalStateException("the bash spawn baseline failed");
        }
        return (System.nanoTime() - started) / 1e6 / count;
    }
}
