package dev.taskd.process;

import dev.taskd.concurrent.Cancellation;
import java.nio.file.Path;

/**
 * Runs shell commands for loops — actions, validations and {@code ctx.exec} — counting them
 * against {@code limits.max-processes}.
 */
public interface Commands {

    /**
     * Runs the command and waits for it. On timeout, or when {@code cancellation} fires, the
     * command and every process it started are killed, and the result says why.
     *
     * @throws InterruptedException when the calling thread is interrupted; the processes are
     *                              killed before this is thrown
     */
    CommandResult run(CommandRequest request, Cancellation cancellation) throws InterruptedException;

    /**
     * Kills a command a previous daemon recorded as running (see {@code Store#recordCommand}):
     * its process group while the leader still has {@code startTime}, and its cgroup when one
     * was recorded. Returns whether anything was found alive.
     */
    default boolean killStale(long pgid, long startTime, String cgroup) {
        return false;
    }

    /**
     * Where text that no process prints goes when it belongs in an iteration's output as a
     * command's stdout would ({@link TextOutput}): {@code outputFile} and the live output of
     * loop {@code loopId}. By default nowhere.
     */
    default TextOutput textOutput(String loopId, Path outputFile) {
        return TextOutput.NOWHERE;
    }

    /** Kills every command running now, as {@link #run} does on cancel: for a forced exit. */
    default void killAll() {
    }
}
