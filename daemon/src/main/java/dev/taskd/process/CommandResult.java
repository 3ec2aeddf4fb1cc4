package dev.taskd.process;

import dev.taskd.concurrent.Cancellation;
import java.time.Duration;

/**
 * How a command ended. Output is kept as bounded tails; the full output, when asked for, is in
 * the request's output file.
 *
 * @param exitCode the exit code; for a command killed by a signal, 128 + the signal number as a
 *                 shell reports it, or -1 when unknown
 * @param stopped  why it was killed before it ended by itself, or null when it ended by itself
 */
public record CommandResult(int exitCode, String stdoutTail, String stderrTail, Duration duration,
                            Cancellation.Reason stopped) {

    public boolean succeeded() {
        return stopped == null && exitCode == 0;
    }
}
