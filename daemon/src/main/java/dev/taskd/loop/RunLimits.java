package dev.taskd.loop;

import dev.taskd.config.LoopType;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one run of a loop may spend and how it must progress: its iterations, tokens and cost
 * (totals over every iteration the store has of the loop, so restarts and retries count), its
 * approval gate, and its stall breaker (counted within the run: a resume, retry or restart starts
 * it again). Asked before each iteration and after each; confined to the loop's own thread.
 */
final class RunLimits {

    private final Path workdir;
    private long tokens;
    private double cost;
    private String lastFingerprint;
    private int unchanged;

    /** @param done every iteration the store has of the loop */
    RunLimits(List<IterationRecord> done, Path workdir) {
        this.workdir = workdir;
        for (IterationRecord record : done) {
            tokens += record.tokensIn() + record.tokensOut();
            cost += record.cost();
        }
    }

    /** What the loop's recorded iterations cost, this run's included. */
    double cost() {
        return cost;
    }

    /** Why iteration {@code number} must not run; empty when it may. */
    Optional<Ending> before(LoopType type, LoopRecord loop, int number) {
        if (number > loop.lastIteration(type.maxIterations())) {
            return Optional.of(new Ending.Failed(maxIterationsReason(type, loop)));
        }
        return costSpent(type);
    }

    /** How a finished iteration ends the loop, or holds it; empty when the loop goes on. */
    Optional<Ending> after(LoopType type, LoopRecord loop, IterationResult result) {
        IterationRecord record = result.record();
        tokens += record.tokensIn() + record.tokensOut();
        cost += record.cost();
        if (result.ending().isPresent()) {
            return result.ending().map(ending -> ending instanceof Ending.Succeeded succeeded
                    && type.gates().approval() == LoopType.Approval.BEFORE_SUCCESS
                    ? new Ending.AwaitingApproval(succeeded.result()) : ending);
        }
        if (type.maxTokens() > 0 && tokens > type.maxTokens()) {
            return Optional.of(new Ending.Failed("token budget exceeded: used " + tokens + " of max-tokens "
                    + type.maxTokens()));
        }
        Optional<Ending> spent = costSpent(type);
        if (spent.isPresent()) {
            return spent;
        }
        if (record.number() >= loop.lastIteration(type.maxIterations())) {
            return Optional.of(new Ending.Failed(maxIterationsReason(type, loop)));
        }
        return stalled(type, record);
    }

    private Optional<Ending> costSpent(LoopType type) {
        double max = type.gates().maxCost();
        if (max > 0 && cost >= max) {
            return Optional.of(new Ending.Failed("cost budget spent: " + money(cost) + " of max-cost " + money(max)));
        }
        return Optional.empty();
    }

    private Optional<Ending> stalled(LoopType type, IterationRecord record) {
        int after = type.gates().stallAfter();
        if (after <= 0) {
            unchanged = 0;
            return Optional.empty();
        }
        String fingerprint = WorkdirFingerprint.ofIteration(record.validationExitCode(), record.outputTail(), workdir);
        unchanged = fingerprint.equals(lastFingerprint) ? unchanged + 1 : 1;
        lastFingerprint = fingerprint;
        return unchanged >= after ? Optional.of(new Ending.Stalled(after)) : Optional.empty();
    }

    static String maxIterationsReason(LoopType type, LoopRecord loop) {
        return loop.iterationLimit() > 0 ? "reached its iteration limit (" + loop.iterationLimit() + ") without passing"
                : "reached max-iterations (" + type.maxIterations() + ") without passing";
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.4f", amount);
    }
}
