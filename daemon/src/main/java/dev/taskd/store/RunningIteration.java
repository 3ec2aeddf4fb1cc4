package dev.taskd.store;

import java.time.Instant;

/**
 * An iteration marked in progress in the store: running now, or cut off by a crash.
 *
 * @param pgid      the process group of the command it was running, 0 when none was recorded
 * @param pgidStart the group leader's start time in clock ticks since boot, 0 when unknown
 * @param cgroup    the command's cgroup directory, or null
 */
public record RunningIteration(String loopId, int number, Instant startedAt, long pgid, long pgidStart,
                               String cgroup) {
}
