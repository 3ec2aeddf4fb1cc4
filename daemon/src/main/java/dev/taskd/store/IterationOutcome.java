package dev.taskd.store;

/** How one iteration ended. */
public enum IterationOutcome {
    /** The validation command passed (or a command action without one exited 0). */
    PASSED,
    /** The validation command failed, or the script called {@code ctx.fail}. */
    FAILED,
    /** The script called {@code ctx.complete}. */
    COMPLETED,
    /** The action ran and nothing decided yet: a script without a validation command. */
    CONTINUED,
    /** The iteration itself broke: a script error, a template that could not be rendered. */
    ERROR,
    /** {@code iteration-timeout} ran out. */
    TIMED_OUT,
    /** Cut off by a crash, a drain or a pause that would not wait. */
    INTERRUPTED,
    /** Its loop was cancelled while it ran. */
    CANCELLED
}
