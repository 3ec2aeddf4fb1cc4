package dev.taskd.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished iteration of a loop, as persisted.
 *
 * @param loopId             the loop it belongs to
 * @param number             1 for the first iteration; unique per loop
 * @param outcome            how it ended
 * @param validationExitCode exit code of the validation command, or null when none ran
 * @param outputTail         last part of the validation output, or null
 * @param generation         config generation the iteration ran under
 * @param error              what went wrong when {@code outcome} is not a normal end, or null
 * @param cost               what its LLM calls cost at {@code llm.providers.*.prices}; 0 without prices
 */
public record IterationRecord(String loopId, int number, Instant startedAt, Instant endedAt,
                              IterationOutcome outcome, Integer validationExitCode,
                              String outputTail, long generation, long tokensIn, long tokensOut,
                              String error, double cost) {

    /** An iteration that cost nothing. */
    public IterationRecord(String loopId, int number, Instant startedAt, Instant endedAt, IterationOutcome outcome,
                           Integer validationExitCode, String outputTail, long generation, long tokensIn,
                           long tokensOut, String error) {
        this(loopId, number, startedAt, endedAt, outcome, validationExitCode, outputTail, generation, tokensIn,
                tokensOut, error, 0);
    }

    public IterationRecord {
        Objects.requireNonNull(loopId, "loopId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
        if (number < 1) {
            throw new IllegalArgumentException(
                    "loop " + loopId + ": iteration number " + number + " < 1");
        }
    }
}
