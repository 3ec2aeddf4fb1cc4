package dev.taskd.loop;

import dev.taskd.store.LoopRecord;

/**
 * What a submission answered: the loop, and whether it was made by an earlier request with the
 * same {@code Idempotency-Key} (then {@code loop} is that loop as it is now).
 */
public record Submitted(LoopRecord loop, boolean replayed) {
}
