package dev.taskd.process;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A started command. With {@link Spawner#posix} it leads a session and process group of its own
 * (its pid is the group id), and in a delegated cgroup it also has a cgroup of its own.
 * Thread-safe.
 */
public interface Child {

    long pid();

    /** When it started, in clock ticks since boot ({@code /proc/PID/stat} field 22); 0 when unknown. */
    long startTime();

    /** The cgroup directory it runs in, or null when it has none. */
    String cgroup();

    InputStream stdout();

    InputStream stderr();

    /** Its standard input, or null when it was given {@code /dev/null}. */
    OutputStream stdin();

    /** Waits until it ends, at most {@code millis}; true when it has. */
    boolean waitFor(long millis) throws InterruptedException;

    /**
     * The exit code once it ended: as a shell reports it, 128 + the signal number when a signal
     * killed it.
     */
    int exitCode();

    /**
     * Kills it and everything it started that taskd can reach: its cgroup, else its process
     * group and the descendants found in {@code /proc} at this moment. Idempotent; never signals
     * a pid that was reaped and may have been recycled.
     */
    void kill();
}
