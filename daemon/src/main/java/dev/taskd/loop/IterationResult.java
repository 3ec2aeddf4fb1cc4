package dev.taskd.loop;

import dev.taskd.store.IterationRecord;

/**
 * One finished iteration: the record to persist, the state the action left, and what it means
 * for the loop.
 *
 * @param reason why the loop ends, when it does ({@code ctx.fail} text, completion result)
 */
record IterationResult(IterationRecord record, String stateJson, Ending ending, String reason) {

    /** What the loop does next. */
    enum Ending { CONTINUE, SUCCEED, FAIL, CANCEL, PAUSE, INTERRUPT }
}
