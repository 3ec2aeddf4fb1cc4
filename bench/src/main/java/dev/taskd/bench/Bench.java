package dev.taskd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What every benchmark gets: the taskd checkout to run, how many rounds to record, whether to
 * run small ("quick", for checking the harness itself) and where to put its files.
 *
 * @param root   the taskd checkout; its {@code ./taskd} launcher starts the daemon
 * @param rounds recorded rounds per benchmark, after warm-up
 * @param quick  smaller sizes and fewer repetitions: proves the harness works, measures nothing
 * @param jfr    directory for a JFR recording of every daemon started, or null for none
 */
record Bench(Path root, int rounds, boolean quick, Path jfr) {

    /** {@code full} in a normal run, {@code quick} when {@code --quick} was given. */
    int size(int full, int quick) {
        return this.quick ? quick : full;
    }

    /** A new empty directory for one daemon's config, loop types and data. */
    Path workDir(String name) {
        try {
            return Files.createTempDirectory("taskd-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for " + name, e);
        }
    }

    /** Progress on stderr, so stdout carries only the report. */
    static void progress(String format, Object... args) {
        System.err.printf("[bench %s] %s%n", Instant.now().toString().substring(11, 19), format.formatted(args));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
