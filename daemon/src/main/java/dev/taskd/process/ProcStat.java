package dev.taskd.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code /proc/PID/stat}: how a recorded pid is told apart from a recycled one. */
public final class ProcStat {

    private ProcStat() {
    }

    /**
     * The start time of {@code pid} in clock ticks since boot (field 22), or 0 when there is no
     * such process (or no {@code /proc}). A pid and its start time name one process for the
     * life of the machine.
     */
    public static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2, the command name, is in parentheses and may hold spaces: count after its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[22 - 3]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
