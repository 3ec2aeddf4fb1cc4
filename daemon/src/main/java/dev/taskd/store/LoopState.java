package dev.taskd.store;

/**
 * Where a loop is in its life. {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}, plus
 * {@code PAUSED} and {@code BLOCKED} (its loop type was removed; it resumes if the type returns). A loop in a terminal
 * state is never resumed after a restart.
 */
public enum LoopState {
    QUEUED, RUNNING, PAUSED, BLOCKED, SUCCEEDED, FAILED, CANCELLED;

    /** Whether the loop has finished for good. */
    public boolean terminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED -> true;
            case QUEUED, RUNNING, PAUSED, BLOCKED -> false;
        };
    }
}
