package dev.taskd.store;

/**
 * How one write moved loops between states, which the writer applies to its {@link LoopCounts}
 * once the write's transaction has committed. A write that changes no loop's state is
 * {@link #NONE}.
 */
sealed interface StateChange {

    StateChange NONE = new None();

    /** The write left every loop's state as it was. */
    record None() implements StateChange {
    }

    /** A new loop, in {@code state}. */
    record Inserted(LoopState state) implements StateChange {
    }

    /** One loop moved from {@code from} to {@code to}. */
    record Moved(LoopState from, LoopState to) implements StateChange {
    }

    /** {@code Moved(from, to)} when the conditional move happened, else {@link #NONE}. */
    static StateChange movedIf(Boolean moved, LoopState from, LoopState to) {
        return Boolean.TRUE.equals(moved) ? new Moved(from, to) : NONE;
    }
}
