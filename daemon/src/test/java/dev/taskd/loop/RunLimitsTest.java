package dev.taskd.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.config.LoopType;
import dev.taskd.store.IterationOutcome;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ends or holds a loop between iterations: limits, budgets, the approval gate, the stall breaker. */
class RunLimitsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path workdir;

    @Test
    void threeUnchangedIterationsStallButAChangedFileOrOutputStartsTheCountAgain() throws Exception {
        LoopType type = type(new LoopType.Gates(LoopType.Approval.NONE, 0, 3), 20);
        RunLimits limits = new RunLimits(List.of(), workdir);
        LoopRecord loop = loop(0);

        assertThat(limits.after(type, loop, failed(1, "same"))).isEmpty();
        assertThat(limits.after(type, loop, failed(2, "same"))).isEmpty();
        Files.writeString(workdir.resolve("progress.txt"), "a step");
        assertThat(limits.after(type, loop, failed(3, "same"))).isEmpty();
        assertThat(limits.after(type, loop, failed(4, "other"))).isEmpty();
        assertThat(limits.after(type, loop, failed(5, "other"))).isEmpty();

        assertThat(limits.after(type, loop, failed(6, "other"))).contains(new Ending.Stalled(3));
    }

    @Test
    void aPassedIterationAwaitsApprovalWhenTheTypeAsksForIt() {
        LoopType gated = type(new LoopType.Gates(LoopType.Approval.BEFORE_SUCCESS, 0, 0), 20);
        LoopType open = type(LoopType.Gates.NONE, 20);
        IterationResult passed = new IterationResult(record(1, IterationOutcome.PASSED, "ok", 0),
                "{}", Optional.of(new Ending.Succeeded("done")));

        assertThat(new RunLimits(List.of(), workdir).after(gated, loop(0), passed))
                .contains(new Ending.AwaitingApproval("done"));
        assertThat(new RunLimits(List.of(), workdir).after(open, loop(0), passed))
                .contains(new Ending.Succeeded("done"));
    }

    @Test
    void theCostOfStoredIterationsCountsSoABudgetSpentBeforeARetryStopsTheNextIteration() {
        LoopType type = type(new LoopType.Gates(LoopType.Approval.NONE, 5, 0), 20);
        RunLimits limits = new RunLimits(List.of(record(1, IterationOutcome.FAILED, "x", 3),
                record(2, IterationOutcome.FAILED, "x", 2.5)), workdir);

        assertThat(limits.before(type, loop(10), 3))
                .contains(new Ending.Failed("cost budget spent: 5.5000 of max-cost 5.0000"));
    }

    @Test
    void aRetriedLoopRunsToItsOwnLimitNotItsTypesMaxIterations() {
        LoopType type = type(LoopType.Gates.NONE, 2);
        RunLimits limits = new RunLimits(List.of(), workdir);

        assertThat(limits.before(type, loop(5), 4)).isEmpty();
        assertThat(limits.before(type, loop(5), 6))
                .contains(new Ending.Failed("reached its iteration limit (5) without passing"));
        assertThat(limits.before(type, loop(0), 3))
                .contains(new Ending.Failed("reached max-iterations (2) without passing"));
    }

    private static IterationResult failed(int number, String output) {
        return new IterationResult(record(number, IterationOutcome.FAILED, output, 0), "{}", Optional.empty());
    }

    private static IterationRecord record(int number, IterationOutcome outcome, String output, double cost) {
        return new IterationRecord("01L", number, T0, T0.plusSeconds(1), outcome, 1, output, 1, 0, 0, null, cost);
    }

    private LoopRecord loop(int iterationLimit) {
        return new LoopRecord("01L", "t", "v", Map.of(), "{}", LoopState.RUNNING, null, 0, 0, List.of(),
                workdir.toString(), T0, T0, 1, iterationLimit);
    }

    private static LoopType type(LoopType.Gates gates, int maxIterations) {
        return new LoopType("t", "", false, new LoopType.Command("true"), new LoopType.NoPrompt(), List.of(),
                maxIterations, Duration.ofMinutes(1), Duration.ZERO, LoopType.Backoff.FIXED, Duration.ZERO,
                LoopType.OnReload.PIN, LoopType.Isolation.NONE, 0, Optional.empty(), "v", List.of(), gates);
    }
}
