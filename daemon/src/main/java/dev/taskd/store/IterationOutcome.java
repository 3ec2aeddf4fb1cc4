package dev.taskd.store;

/**
 * How one iteration ended.
 *
 * <p>{@code PASSED}/{@code FAILED}: validation ran and exited zero / non-zero. {@code COMPLETED}:
 * the iteration ended the loop without a validation step. {@code ERROR}: the iteration itself
 * broke (script error, provider error). {@code TIMED_OUT}: it exceeded its time limit.
 * {@code INTERRUPTED}: the daemon drained before it finished. {@code CANCELLED}: the loop was
 * cancelled while it ran.
 */
public enum IterationOutcome {
    PASSED, FAILED, COMPLETED, ERROR, TIMED_OUT, INTERRUPTED, CANCELLED
}
