package dev.taskd.process;

/**
 * A started command. With {@link Spawner#posix} it leads a session and process group of its own
 * (its pid is the group id), and in a delegated cgroup it also has a cgroup of its own. Its
 * output goes to the {@link Output} it was started with, read all along so that it never blocks
 * on a full pipe. Thread-safe.
 */
public interface Child {

    /** The stream numbers {@link Output} is told. */
    int STDOUT = 0;
    int STDERR = 1;

    /**
     * Where a command's output goes as it is read: {@code stream} is {@link #STDOUT} or
     * {@link #STDERR}. Called on a thread of the spawner's, possibly two at once (one per
     * stream); must not block for long, and must not keep {@code bytes}, which is reused.
     */
    @FunctionalInterface
    interface Output {
        void write(int stream, byte[] bytes, int offset, int length);
    }

    long pid();

    /** When it started, in clock ticks since boot ({@code /proc/PID/stat} field 22); 0 when unknown. */
    long startTime();

    /** The cgroup directory it runs in, or null when it has none. */
    String cgroup();

    /**
     * Waits until it ended, was reaped, and its output was read to the end, at most
     * {@code millis}; true when all that happened. A process that escaped the group and keeps the
     * pipes open is not waited for beyond a second after the command's end: its later output is
     * dropped.
     */
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
