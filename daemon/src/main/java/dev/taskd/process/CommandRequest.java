package dev.taskd.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A shell command to run for a loop: {@code /bin/sh -c commandLine} in {@code workdir}.
 *
 * @param environment added to the daemon's environment
 * @param stdin       written to the command's standard input, then closed ("" for none)
 * @param timeout     wall clock after which the command and all its descendants are killed
 * @param outputFile  where the full output (stdout then stderr) is kept, or null for none
 * @param loopId      the loop whose iteration runs it, recorded with its process group so that a
 *                    restart after a crash can kill it; null outside a loop
 */
public record CommandRequest(String commandLine, Path workdir, Map<String, String> environment, String stdin,
                             Duration timeout, Path outputFile, String loopId) {

    public CommandRequest {
        environment = Map.copyOf(environment);
        stdin = stdin == null ? "" : stdin;
    }

    /** A command outside any loop. */
    public CommandRequest(String commandLine, Path workdir, Map<String, String> environment, String stdin,
                          Duration timeout, Path outputFile) {
        this(commandLine, workdir, environment, stdin, timeout, outputFile, null);
    }
}
