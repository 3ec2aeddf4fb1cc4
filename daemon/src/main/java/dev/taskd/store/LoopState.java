package dev.taskd.store;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a loop is in its life. {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}, plus
 * {@code PAUSED}, {@code BLOCKED} (its loop type was removed; it resumes if the type returns) and
 * {@code AWAITING_APPROVAL} (its validation passed; a person approves or rejects it). A loop in a
 * terminal state is never resumed after a restart, nor is one that waits for a person.
 */
public enum LoopState {
    QUEUED, RUNNING, PAUSED, BLOCKED, AWAITING_APPROVAL, SUCCEEDED, FAILED, CANCELLED;

    /** Whether the loop has finished for good. */
    public boolean terminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED -> true;
            case QUEUED, RUNNING, PAUSED, BLOCKED, AWAITING_APPROVAL -> false;
        };
    }

    /** {@code counts} keyed by the states' names in lower case ({@code queued}, ...), as metrics label them. */
    public static Map<String, Long> byName(Map<LoopState, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((state, count) -> named.put(state.name().toLowerCase(Locale.ROOT), count));
        return named;
    }
}
