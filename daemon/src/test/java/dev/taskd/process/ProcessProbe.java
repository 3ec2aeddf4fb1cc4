package dev.taskd.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the containment tests ask of a process the daemon should have killed. */
final class ProcessProbe {

    private ProcessProbe() {
    }

    /**
     * Whether process {@code pid} is gone (or a zombie: killed, waiting for its parent to reap
     * it) within {@code limit}, looking every 20 ms.
     */
    static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcStat.startTime(pid) == 0 || zombie(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // no /proc entry: gone
        }
    }
}
