package dev.taskd.loop;

import dev.taskd.config.LoopType;
import dev.taskd.store.LoopNote;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What people decide about loops that do not run: retry a failed or cancelled loop, approve or
 * reject one that awaits approval. Each decision is one commit of the state move and a
 * {@link LoopNote} saying who and when (through {@link LoopLifecycle#decided}), then the queue
 * is told. Thread-safe.
 */
public final class LoopDecisions {

    static final String RETRIED = "retried";
    static final String APPROVED = "approved";
    static final String REJECTED = "rejected";
    /** The most iterations one retry may add. */
    static final int MAX_MORE = 1_000_000;

    private final Store store;
    private final Supplier<Generation> generations;
    private final Scheduler scheduler;
    private final LoopLifecycle lifecycle;
    private final Function<String, LoopRecord> find;

    LoopDecisions(Store store, Supplier<Generation> generations, Scheduler scheduler, LoopLifecycle lifecycle,
                  Function<String, LoopRecord> find) {
        this.store = store;
        this.generations = generations;
        this.scheduler = scheduler;
        this.lifecycle = lifecycle;
        this.find = find;
    }

    /**
     * Queues a failed or cancelled loop again: it goes on at its next iteration, with its state and
     * history, allowed {@code more} iterations beyond those it ran (null: its type's max-iterations).
     */
    public LoopRecord retry(String idOrPrefix, Integer more, String actor) {
        LoopRecord loop = find.apply(idOrPrefix);
        if (loop.state() != LoopState.FAILED && loop.state() != LoopState.CANCELLED) {
            throw conflict(loop, "retry", "only a failed or cancelled loop can be retried");
        }
        LoopType type = generations.get().snapshot().loopTypes().get(loop.type());
        if (more == null && type == null) {
            throw new LoopException(LoopException.Kind.CONFLICT, "cannot retry loop " + loop.id() + ": its loop type '"
                    + loop.type() + "' does not exist; add it back, or give --more N");
        }
        int added = more != null ? more : type.maxIterations();
        if (added < 1 || added > MAX_MORE) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "more must be from 1 to " + MAX_MORE + "; found "
                    + added);
        }
        int limit = loop.iterations() + added;
        store.storage().requireWritable();
        LoopNote note = new LoopNote(loop.id(), Instant.now(), actor, RETRIED, loop.iterations(),
                "up to iteration " + limit);
        if (!lifecycle.decided(loop.state(), LoopState.QUEUED, "retried by " + actor, limit, note,
                new LoopEvent.Retried(loop.id(), actor, loop.iterations(), limit))) {
            throw conflict(find.apply(loop.id()), "retry", "it changed meanwhile");
        }
        scheduler.enqueue(find.apply(loop.id()));
        return find.apply(loop.id());
    }

    /** Lets a loop that awaits approval succeed, with the result its last iteration gave. */
    public LoopRecord approve(String idOrPrefix, String actor) {
        LoopRecord loop = awaiting(idOrPrefix, "approve");
        String reason = Ending.AWAITING_REASON.equals(loop.reason()) ? "approved by " + actor : loop.reason();
        LoopNote note = new LoopNote(loop.id(), Instant.now(), actor, APPROVED, loop.iterations(), null);
        if (!lifecycle.decided(LoopState.AWAITING_APPROVAL, LoopState.SUCCEEDED, reason, 0, note,
                new LoopEvent.Approved(loop.id(), actor))) {
            throw conflict(find.apply(loop.id()), "approve", "it changed meanwhile");
        }
        scheduler.ended(loop.id());
        return find.apply(loop.id());
    }

    /**
     * Sends a loop that awaits approval back to the queue for another iteration, which sees
     * {@code reason} as its previous output. A loop at its last iteration is allowed one more.
     */
    public LoopRecord reject(String idOrPrefix, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "a rejection needs a reason: the next iteration"
                    + " reads it as its previous output (taskd loops reject ID --reason TEXT)");
        }
        LoopRecord loop = awaiting(idOrPrefix, "reject");
        LoopType type = generations.get().snapshot().loopTypes().get(loop.type());
        int last = type == null ? loop.iterationLimit() : loop.lastIteration(type.maxIterations());
        int limit = loop.iterations() >= last ? loop.iterations() + 1 : 0;
        LoopNote note = new LoopNote(loop.id(), Instant.now(), actor, REJECTED, loop.iterations(), reason);
        if (!lifecycle.decided(LoopState.AWAITING_APPROVAL, LoopState.QUEUED, "rejected by " + actor + ": " + reason,
                limit, note, new LoopEvent.Rejected(loop.id(), actor, reason))) {
            throw conflict(find.apply(loop.id()), "reject", "it changed meanwhile");
        }
        scheduler.enqueue(find.apply(loop.id()));
        return find.apply(loop.id());
    }

    private LoopRecord awaiting(String idOrPrefix, String action) {
        LoopRecord loop = find.apply(idOrPrefix);
        if (loop.state() != LoopState.AWAITING_APPROVAL) {
            throw conflict(loop, action, "only a loop awaiting approval can be approved or rejected");
        }
        store.storage().requireWritable();
        return loop;
    }

    private static LoopException conflict(LoopRecord loop, String action, String why) {
        return new LoopException(LoopException.Kind.CONFLICT, "cannot " + action + " loop " + loop.id() + ": it is "
                + LoopEvent.label(loop.state()) + "; " + why);
    }

    /** What people did to the loop, oldest first. */
    public List<LoopNote> notes(String idOrPrefix) {
        return store.notes().of(find.apply(idOrPrefix).id());
    }
}
