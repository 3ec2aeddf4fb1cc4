package dev.taskd.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The writes of a node for one loop it claimed, each carrying the loop's {@link Fence}: in the
 * write's own transaction the loop's row is locked and must still be owned by this node's
 * incarnation at the fence's epoch, or the write changes nothing and fails with
 * {@link LoopFencedException}. A takeover that raced it either committed first (the write is
 * refused) or waits for the write's commit (and then takes the loop with that write in it), so a
 * loop never completes twice and no iteration is recorded twice.
 *
 * <p>The writes go through the store's one writer, so they share its group commit. Thread-safe.
 */
public final class FencedLoop {

    private final Store store;
    private final Fence fence;
    private final Clock clock = Clock.systemUTC();

    public FencedLoop(Store store, Fence fence) {
        this.store = Objects.requireNonNull(store, "store");
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    public Fence fence() {
        return fence;
    }

    /** As {@link Store#beginIteration}, fenced; the future fails with {@link LoopFencedException}. */
    public CompletableFuture<Void> beginIteration(int number, Instant startedAt) {
        return store.writer().queueUnsynced("begin iteration " + number + " of", fence.loopId(), c -> {
            check(c, "begin iteration " + number + " of");
            return LoopWrites.beginIteration(c, fence.loopId(), number, startedAt);
        });
    }

    /** As {@link Store#saveState}, fenced. @throws LoopFencedException when the loop is no longer this node's */
    public void saveState(String stateJson) {
        Objects.requireNonNull(stateJson, "stateJson");
        store.writer().submit("save state of", fence.loopId(), c -> {
            check(c, "save state of");
            return LoopWrites.saveState(c, fence.loopId(), stateJson, clock.instant());
        });
    }

    /**
     * As {@link Store#finishIteration(IterationRecord, String, LoopState, String)}, fenced.
     *
     * @throws LoopFencedException when the loop is no longer this node's; nothing was written
     */
    public boolean finishIteration(IterationRecord iteration, String stateJson, LoopState end, String reason) {
        requireOwnLoop(iteration.loopId());
        Objects.requireNonNull(stateJson, "stateJson");
        String operation = "finish iteration " + iteration.number() + " of";
        return store.writer().submit(operation, iteration.loopId(), c -> {
            check(c, operation);
            return LoopWrites.finishIteration(c, iteration, stateJson, end, reason, clock.instant());
        }, ended -> StateChange.movedIf(ended, LoopState.RUNNING, end));
    }

    /** As {@link Store#updateLoopState}, fenced. @throws LoopFencedException when the loop is no longer this node's */
    public boolean updateLoopState(LoopState from, LoopState to, String reason) {
        String operation = "update state " + from + "->" + to + " of";
        return store.writer().submit(operation, fence.loopId(), c -> {
            check(c, operation);
            return LoopWrites.updateState(c, fence.loopId(), from, to, reason, clock.instant());
        }, moved -> StateChange.movedIf(moved, from, to));
    }

    private void requireOwnLoop(String loopId) {
        if (!fence.loopId().equals(loopId)) {
            throw new IllegalArgumentException("iteration of loop " + loopId + " through the fence of " + fence.loopId());
        }
    }

    /** Locks the loop's row and checks it is still this node's at the fence's epoch. */
    private void check(Connection c, String operation) throws SQLException {
        LoopFences.check(c, fence, operation);
    }
}
