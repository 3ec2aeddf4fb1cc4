package dev.taskd.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Loops by state as of one commit: an immutable snapshot that the writer replaces after each
 * commit that moved a loop, so readers on any thread see a consistent set without a lock or a
 * query.
 */
final class LoopCounts {

    private static final LoopState[] STATES = LoopState.values();

    private final long[] counts;
    private final Map<LoopState, Long> map;

    private LoopCounts(long[] counts) {
        this.counts = counts;
        Map<LoopState, Long> byState = new EnumMap<>(LoopState.class);
        for (LoopState state : STATES) {
            byState.put(state, counts[state.ordinal()]);
        }
        this.map = Collections.unmodifiableMap(byState);
    }

    /** The counts as the store holds them; states missing from {@code counted} have none. */
    static LoopCounts of(Map<LoopState, Long> counted) {
        long[] counts = new long[STATES.length];
        counted.forEach((state, count) -> counts[state.ordinal()] = count);
        return new LoopCounts(counts);
    }

    /** These counts after {@code changes}, all committed together; this snapshot is unchanged. */
    LoopCounts after(List<StateChange> changes) {
        long[] next = counts.clone();
        for (StateChange change : changes) {
            switch (change) {
                case StateChange.None none -> {
                }
                case StateChange.Inserted(LoopState state) -> next[state.ordinal()]++;
                case StateChange.Moved(LoopState from, LoopState to) -> {
                    next[from.ordinal()]--;
                    next[to.ordinal()]++;
                }
            }
        }
        return new LoopCounts(next);
    }

    /** Every state, zero included, in declaration order; unmodifiable. */
    Map<LoopState, Long> byState() {
        return map;
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
