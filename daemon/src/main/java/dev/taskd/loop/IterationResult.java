package dev.taskd.loop;

import dev.taskd.store.IterationRecord;
import java.util.Optional;

/**
 * One finished iteration: the record to persist, the state the action left, and whether it ends
 * the loop.
 *
 * @param ending how the iteration ended the loop ({@code ctx.fail}, a passed validation, a cancel);
 *               empty when the loop goes on, as far as the iteration can tell
 */
record IterationResult(IterationRecord record, String stateJson, Optional<Ending> ending) {
}
