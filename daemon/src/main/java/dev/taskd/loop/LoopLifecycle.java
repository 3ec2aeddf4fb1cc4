package dev.taskd.loop;

import dev.taskd.store.IterationOutcome;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopNote;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.RunningIteration;
import dev.taskd.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A loop's life: every move between {@link LoopState}s, checked against {@link #next}, written to
 * the store, and then announced as a loop event. Nothing else changes a loop's state.
 *
 * <p>Each move is one conditional write ({@code from} must still be the stored state), so two
 * movers racing each other cannot both win; the loser gets false and nothing is announced. A
 * write that throws has announced nothing either, so a caller may repeat it (the runner does,
 * while the disk is full). Thread-safe as the store is.
 */
final class LoopLifecycle {

    private final Store store;
    private final LoopEvents events;

    LoopLifecycle(Store store, LoopEvents events) {
        this.store = store;
        this.events = events;
    }

    /** The states a loop in {@code from} may move to: the one table of a loop's life. */
    static Set<LoopState> next(LoopState from) {
        return switch (from) {
            case QUEUED -> EnumSet.of(LoopState.RUNNING, LoopState.PAUSED, LoopState.BLOCKED, LoopState.FAILED,
                    LoopState.CANCELLED);
            // QUEUED again: interrupted, drained, or found running by the next start.
            case RUNNING -> EnumSet.of(LoopState.QUEUED, LoopState.PAUSED, LoopState.BLOCKED,
                    LoopState.AWAITING_APPROVAL, LoopState.SUCCEEDED, LoopState.FAILED, LoopState.CANCELLED);
            case PAUSED -> EnumSet.of(LoopState.QUEUED, LoopState.CANCELLED);
            case BLOCKED -> EnumSet.of(LoopState.QUEUED, LoopState.PAUSED, LoopState.CANCELLED);
            // SUCCEEDED: approved; QUEUED: rejected, for another iteration.
            case AWAITING_APPROVAL -> EnumSet.of(LoopState.SUCCEEDED, LoopState.QUEUED, LoopState.CANCELLED);
            // QUEUED again only by a person's retry; the daemon never resumes these by itself.
            case FAILED, CANCELLED -> EnumSet.of(LoopState.QUEUED);
            case SUCCEEDED -> EnumSet.noneOf(LoopState.class);
        };
    }

    /** Whether a loop in {@code from} may move to {@code to}. */
    static boolean allowed(LoopState from, LoopState to) {
        return next(from).contains(to);
    }

    /** Writes a new loop, queued, with its idempotency key when it has one; announces {@code loop_submitted}. */
    void submitted(LoopRecord loop, IdempotentSubmissions.Keyed key) {
        if (key == null) {
            store.insertLoop(loop);
        } else {
            store.insertLoop(loop, key.record(loop.id()), key.sweepBefore());
        }
        events.emit(new LoopEvent.Submitted(loop.id(), loop.type(), loop.priority()));
    }

    /**
     * Starts a queued loop; with {@code begun}, marks iteration {@code first} in progress in the
     * same commit. Announces {@code loop_started}.
     *
     * @return false when the loop was no longer queued
     */
    boolean started(LoopRecord loop, int first, boolean begun) {
        boolean moved = begun ? store.startLoop(loop.id(), first, Instant.now())
                : write(loop.id(), LoopState.QUEUED, LoopState.RUNNING, null);
        if (moved) {
            events.emit(new LoopEvent.Started(loop.id(), loop.type(), first));
        }
        return moved;
    }

    /** Announces {@code loop_started} for a loop a claim in the cluster started (and marked {@code first} in). */
    boolean claimed(LoopRecord loop, int first) {
        events.emit(new LoopEvent.Started(loop.id(), loop.type(), first));
        return true;
    }

    /**
     * Ends a loop's run or wait in {@code from} for the reason {@code ending} gives. A run that ends
     * and a loop that ends for good are announced as {@code loop_finished}, a queued loop whose type
     * went away as {@code loop_blocked}; a loop paused while it did not run is not announced.
     *
     * @return false when the loop was no longer in {@code from}
     */
    boolean ended(String id, LoopState from, Ending ending) {
        if (!write(id, from, ending.state(), ending.reason())) {
            return false;
        }
        announceEnd(id, from, ending);
        return true;
    }

    /** Why a loop that waits goes back to the queue. */
    enum Requeue {
        /** A user resumed a paused loop. */
        RESUMED(LoopState.PAUSED, null),
        /** A new generation brought a blocked loop's type back; announced as {@code loop_unblocked}. */
        UNBLOCKED(LoopState.BLOCKED, null),
        /** A start found the loop running: the daemon before it stopped without recording its end. */
        RESTARTED(LoopState.RUNNING, "resumed after restart");

        final LoopState from;
        final String reason;

        Requeue(LoopState from, String reason) {
            this.from = from;
            this.reason = reason;
        }
    }

    /** @return false when the loop was no longer in the state {@code why} moves it from */
    boolean requeued(LoopRecord loop, Requeue why) {
        if (!write(loop.id(), why.from, LoopState.QUEUED, why.reason)) {
            return false;
        }
        switch (why) {
            case UNBLOCKED -> events.emit(new LoopEvent.Unblocked(loop.id(), loop.type()));
            case RESUMED, RESTARTED -> { }
        }
        return true;
    }

    /**
     * Records a finished iteration of a running loop and, when {@code ending} is present, the end
     * of its run, in one commit; announces {@code iteration_completed}, then the end, unless the
     * loop was no longer running.
     */
    void iterationFinished(IterationResult result, String type, Optional<Ending> ending) {
        IterationRecord record = result.record();
        Ending end = ending.orElse(null);
        if (end != null) {
            requireAllowed(record.loopId(), LoopState.RUNNING, end.state());
        }
        boolean ended = store.finishIteration(record, result.stateJson(), end == null ? null : end.state(),
                end == null ? null : end.reason());
        events.emit(new LoopEvent.IterationCompleted(record.loopId(), type, record.number(), record.outcome(),
                Duration.between(record.startedAt(), record.endedAt()), record.generation()));
        if (ended) {
            announceEnd(record.loopId(), LoopState.RUNNING, end);
            if (end instanceof Ending.AwaitingApproval) {
                events.emit(new LoopEvent.AwaitingApproval(record.loopId(), type, record.number()));
            } else if (end instanceof Ending.Stalled stalled) {
                events.emit(new LoopEvent.Stalled(record.loopId(), type, stalled.iterations()));
            }
        }
    }

    /**
     * A person's decision about a loop that does not run: moves it from {@code from} to {@code to}
     * and records {@code note} on it in one commit, with {@code iterationLimit} when positive;
     * announces {@code event}, and {@code loop_finished} when the loop ended for good.
     *
     * @return false when the loop was no longer in {@code from}; nothing changed or was announced
     */
    boolean decided(LoopState from, LoopState to, String reason, int iterationLimit, LoopNote note, LoopEvent event) {
        requireAllowed(note.loopId(), from, to);
        if (!store.notes().move(from, to, reason, iterationLimit, note)) {
            return false;
        }
        events.emit(event);
        if (to.terminal()) {
            events.emit(new LoopEvent.Finished(note.loopId(), to, reason));
        }
        return true;
    }

    /** Fails a running loop whose runner broke; announces {@code loop_finished}, then {@code loop_error}. */
    void failedInternally(String id, RuntimeException error) {
        ended(id, LoopState.RUNNING, new Ending.Failed("internal error: " + error));
        events.emit(new LoopEvent.Errored(id, String.valueOf(error)));
    }

    /**
     * Records the iteration a crash cut off as interrupted, unless the loop's own record of it
     * made it. The loop's state is left to {@link Requeue#RESTARTED}.
     */
    void cutOff(LoopRecord loop, RunningIteration cut) {
        if (cut.number() <= loop.iterations()) {
            return;
        }
        IterationRecord interrupted = new IterationRecord(loop.id(), cut.number(), cut.startedAt(), Instant.now(),
                IterationOutcome.INTERRUPTED, null, null, 0, 0, 0, "cut off: the daemon stopped during this iteration");
        store.finishIteration(interrupted, loop.stateJson());
    }

    private boolean write(String id, LoopState from, LoopState to, String reason) {
        requireAllowed(id, from, to);
        return store.updateLoopState(id, from, to, reason);
    }

    private static void requireAllowed(String id, LoopState from, LoopState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("loop " + id + " cannot move from " + LoopEvent.label(from) + " to "
                    + LoopEvent.label(to) + "; it may move to " + next(from).stream().map(LoopEvent::label).toList());
        }
    }

    private void announceEnd(String id, LoopState from, Ending ending) {
        if (from == LoopState.RUNNING || ending.state().terminal()) {
            events.emit(new LoopEvent.Finished(id, ending.state(), ending.reason()));
        } else if (ending instanceof Ending.Blocked blocked) {
            events.emit(new LoopEvent.Blocked(id, blocked.type()));
        }
    }
}
