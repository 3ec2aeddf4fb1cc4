package dev.taskd.store;

import java.time.Instant;

/** An iteration marked in progress in the store: running now, or cut off by a crash. */
public record RunningIteration(String loopId, int number, Instant startedAt) {
}
