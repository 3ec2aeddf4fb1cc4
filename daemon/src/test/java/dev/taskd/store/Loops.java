package dev.taskd.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Test records with sensible defaults. */
final class Loops {

    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private Loops() {
    }

    static LoopRecord loop(String id) {
        return loop(id, LoopState.QUEUED);
    }

    static LoopRecord loop(String id, LoopState state) {
        return new LoopRecord(id, "fix-tests", "3", Map.of("repo", "/src/app", "goal", "green"),
                "{\"attempt\":0}", state, null, 0, 5, List.of("01PARENT"), "/work/" + id, T0, T0, 1);
    }

    static IterationRecord iteration(String loopId, int number) {
        Instant start = T0.plus(number, ChronoUnit.MINUTES);
        return new IterationRecord(loopId, number, start, start.plusSeconds(42),
                IterationOutcome.FAILED, 1, "1 test failed", 7, 1200, 340, null);
    }
}
