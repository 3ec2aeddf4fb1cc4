package dev.taskd.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One loop as persisted. Immutable; a change is a store operation, never a mutation.
 *
 * @param id          unique, sorts by creation time (UUIDv7 or ULID)
 * @param type        loop type name
 * @param typeVersion version of the loop type the loop was submitted against
 * @param inputs      submitted inputs, in submission order
 * @param stateJson   the loop's own state as JSON text, carried from iteration to iteration
 * @param state       where the loop is in its life
 * @param reason      why it is in that state (failure, cancel reason), or null
 * @param iterations  number of the last recorded iteration, 0 before the first
 * @param priority    higher runs first, then oldest first
 * @param after       ids of loops that must succeed before this one starts
 * @param workdir     the loop's work directory, or null when it has none
 * @param generation  the generation whose snapshot holds {@code typeVersion}; 0 when unknown (a
 *                    loop stored by a taskd before generations were kept per loop)
 * @param iterationLimit the last iteration the loop may run when a retry or a rejection set one;
 *                    0: its type's {@code max-iterations}
 */
public record LoopRecord(String id, String type, String typeVersion, Map<String, String> inputs,
                         String stateJson, LoopState state, String reason, int iterations,
                         int priority, List<String> after, String workdir, Instant createdAt,
                         Instant updatedAt, long generation, int iterationLimit) {

    /** A loop with its type's iteration limit. */
    public LoopRecord(String id, String type, String typeVersion, Map<String, String> inputs, String stateJson,
                      LoopState state, String reason, int iterations, int priority, List<String> after,
                      String workdir, Instant createdAt, Instant updatedAt, long generation) {
        this(id, type, typeVersion, inputs, stateJson, state, reason, iterations, priority, after, workdir, createdAt,
                updatedAt, generation, 0);
    }

    /** The last iteration the loop may run: its own limit, else {@code typeMaxIterations}. */
    public int lastIteration(int typeMaxIterations) {
        return iterationLimit > 0 ? iterationLimit : typeMaxIterations;
    }

    public LoopRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(typeVersion, "typeVersion");
        Objects.requireNonNull(stateJson, "stateJson");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        // LinkedHashMap keeps the order the user wrote the inputs in, for display.
        inputs = inputs == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        after = after == null ? List.of() : List.copyOf(after);
        if (iterations < 0) {
            throw new IllegalArgumentException(
                    "loop " + id + ": iterations " + iterations + " < 0");
        }
    }
}
