package dev.taskd.loop;

import dev.taskd.process.Commands;
import dev.taskd.store.RunningIteration;
import dev.taskd.store.Store;

/**
 * The commands a previous daemon left running when it died without draining ({@code kill -9},
 * a crash): their loops are about to resume, and must never run twice at once. Call once the
 * store is open and before any loop starts; {@link LoopEngine#start} then records the cut-off
 * iterations as interrupted.
 */
public final class Leftovers {

    private Leftovers() {
    }

    /** Kills every recorded command still alive; returns how many were. */
    public static int kill(Store store, Commands commands) {
        int killed = 0;
        for (RunningIteration cut : store.cutOffIterations()) {
            if ((cut.pgid() > 0 || cut.cgroup() != null)
                    && commands.killStale(cut.pgid(), cut.pgidStart(), cut.cgroup())) {
                killed++;
            }
        }
        return killed;
    }
}
