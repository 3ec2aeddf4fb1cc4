package dev.taskd.loop;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.config.LoopType;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopNote;
import dev.taskd.store.LoopFencedException;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.StorageUnavailableException;
import dev.taskd.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs one loop on its own virtual thread: iteration after iteration until it succeeds, fails,
 * is cancelled or paused. Every state change and iteration is in the store before it is
 * announced. The loop keeps the loop-type version it started with for its whole run, across
 * pauses and restarts, unless its type says to adopt a new one between iterations.
 */
final class LoopRunner implements Runnable {

    private final String loopId;
    /** Claimed in a cluster: already running, owned by this node, its next iteration marked. */
    private final boolean claimed;
    private final LoopControl control;
    private final Store store;
    private final Supplier<Generation> generations;
    private final GenerationArchive archive;
    private final IterationRunner iterations;
    private final LoopLifecycle lifecycle;
    private final LoopEvents events;
    private final WorkPlaces places;

    LoopRunner(String loopId, boolean claimed, LoopControl control, Store store, Supplier<Generation> generations,
               GenerationArchive archive, IterationRunner iterations, LoopLifecycle lifecycle, LoopEvents events,
               WorkPlaces places) {
        this.loopId = loopId;
        this.claimed = claimed;
        this.control = control;
        this.store = store;
        this.generations = generations;
        this.archive = archive;
        this.iterations = iterations;
        this.lifecycle = lifecycle;
        this.events = events;
        this.places = places;
    }

    @Override
    public void run() {
        LoopRecord stored = store.loop(loopId).orElse(null);
        if (stored == null || stored.state() != (claimed ? LoopState.RUNNING : LoopState.QUEUED)) {
            return;
        }
        Generation generation = versionOf(stored, generations.get());
        LoopType type = generation.snapshot().loopTypes().get(stored.type());
        LoopRecord loop;
        try {
            loop = claimed ? places.claimed(stored, type, generation.snapshot().config().loops().workdirRoots())
                    : stored;
        } catch (LoopException e) {
            durably(() -> {
                lifecycle.failedInternally(loopId, e);
                return null;
            });
            return;
        }
        if (type != null && !type.version().equals(loop.typeVersion())) {
            long number = generation.number();
            String version = type.version();
            durably(() -> {
                store.adoptVersion(loopId, version, number);
                return null;
            });
        }
        int first = loop.iterations() + 1;
        List<IterationRecord> done = loop.iterations() == 0 ? List.of() : store.iterations(loopId);
        RunLimits limits = new RunLimits(done, Path.of(loop.workdir()));
        // The common start — the type is there, an iteration is left, nobody asked the loop to stop —
        // commits the loop's start and its first iteration's start together; any other start keeps
        // them apart, so that a loop that stops before an iteration leaves no iteration in progress.
        boolean firstBegun = type != null && limits.before(type, loop, first).isEmpty()
                && control.request() == LoopControl.Request.NONE;
        if (!durably(() -> claimed ? lifecycle.claimed(loop, first) : lifecycle.started(loop, first, firstBegun))) {
            return;
        }
        try {
            iterate(loop, generation, type, firstBegun ? first : 0, new ArrayDeque<>(done), limits);
        } catch (InterruptedException e) {
            end(new Ending.Interrupted());
        } catch (Abandoned | LoopFencedException e) {
            throw e;
        } catch (RuntimeException e) {
            durably(() -> {
                lifecycle.failedInternally(loopId, e);
                return null;
            });
        }
    }

    /**
     * The generation whose version of the loop's type the loop runs. A loop that has not begun
     * takes the version in force. A loop that has begun, resumed after a pause or a restart, asks
     * {@link AdoptionRule} about the version in force as it would between iterations: it adopts
     * it, or keeps its own, rebuilt from its generation's kept sources when the generation in force
     * lacks it. When those sources are gone the loop goes on with the version in force, and an
     * event says so.
     */
    private Generation versionOf(LoopRecord loop, Generation current) {
        if (loop.iterations() == 0) {
            return current;
        }
        LoopType inForce = current.snapshot().loopTypes().get(loop.type());
        switch (AdoptionRule.decide(loop.typeVersion(), inForce, loop.inputs())) {
            case AdoptionRule.Decision.Same same -> {
                return current;
            }
            case AdoptionRule.Decision.Adopts adopts -> {
                events.emit(new LoopEvent.VersionAdopted(loopId, adopts.next().version(), current.number()));
                return current;
            }
            case AdoptionRule.Decision.Pinned pinned -> { }
            case AdoptionRule.Decision.Kept kept -> { }
            case AdoptionRule.Decision.Finishes finishes -> { }
        }
        long number = loop.generation() > 0 ? loop.generation() : lastIterationGeneration();
        Optional<Generation> kept = archive.rebuild(number).filter(generation -> {
            LoopType type = generation.snapshot().loopTypes().get(loop.type());
            return type != null && type.version().equals(loop.typeVersion());
        });
        if (kept.isEmpty()) {
            events.emit(new LoopEvent.VersionLost(loopId, loop.typeVersion(), number, "the sources of generation "
                    + number + " are not kept; the loop goes on with the version in force"));
            return current;
        }
        return kept.get();
    }

    /** For a loop stored before loops recorded their generation: the generation its last iteration ran in. */
    private long lastIterationGeneration() {
        List<IterationRecord> done = store.iterations(loopId);
        return done.isEmpty() ? 0 : done.getLast().generation();
    }

    /**
     * Runs iterations until the loop ends or stops. {@code begun}: the number of an iteration the
     * start already marked in progress and checked (0 for none); it runs without the checks
     * before it, and a stop request reaches it through its cancellation.
     */
    private void iterate(LoopRecord loop, Generation generation, LoopType type, int begun,
                         Deque<IterationRecord> history, RunLimits limits) throws InterruptedException {
        if (type == null) {
            end(new Ending.Blocked(loop.type(), "loop type '" + loop.type() + "' does not exist"));
            return;
        }
        String feedback = rejection(loop);
        String stateJson = loop.stateJson();
        int done = loop.iterations();
        Path workdir = Path.of(loop.workdir());
        Generation considered = generations.get(); // the newest generation the loop has decided on
        CompletableFuture<Void> mark = CompletableFuture.completedFuture(null);
        while (true) {
            int number = done + 1;
            if (number != begun) {
                if (stopRequested()) {
                    return;
                }
                Generation latest = generations.get();
                if (latest != considered) {
                    considered = latest;
                    LoopType adopted = adoptable(latest, type, loop);
                    if (adopted != null) {
                        if (!adopted.version().equals(type.version())) {
                            durably(() -> {
                                store.adoptVersion(loopId, adopted.version(), latest.number());
                                return null;
                            });
                        }
                        generation = latest;
                        type = adopted;
                    }
                }
                Optional<Ending> refused = limits.before(type, loop, number);
                if (refused.isPresent()) {
                    end(refused.get());
                    return;
                }
                // Waits for a writable data dir, not for the mark's commit (see Store#beginIteration).
                mark = durably(() -> store.beginIteration(loopId, number, Instant.now()));
            }
            Cancellation cancellation = control.beginIteration();
            LoopRecord current = withProgress(loop, stateJson, done);
            IterationResult result;
            try {
                result = iterations.run(new IterationRunner.Work(generation, type, current, number,
                        List.copyOf(history), feedback, limits.cost(), workdir, places.outputs(loopId),
                        cancellation));
            } finally {
                control.endIteration();
            }
            mark.exceptionally(e -> {
                events.emit(new LoopEvent.Errored(loopId, "iteration " + number + " was not marked in progress ("
                        + e + "): a crash during it would not have recorded it interrupted"));
                return null;
            });
            feedback = null;
            Optional<Ending> ending = limits.after(type, loop, result);
            String typeName = type.name();
            durably(() -> {
                lifecycle.iterationFinished(result, typeName, ending);
                return null;
            });
            if (ending.isPresent()) {
                return;
            }
            history.addLast(result.record());
            while (history.size() > IterationVariables.PROGRESS_ITERATIONS) {
                history.removeFirst();
            }
            stateJson = result.stateJson();
            done = number;
            if (stopRequested()) {
                return;
            }
            awaitDelay(type, number);
        }
    }

    /**
     * Waits out the delay after iteration {@code number}. No event says so: at a 1 s delay
     * 10,000 loops would announce 10,000 waits a second; {@code GET /v1/loops/{id}} shows it.
     */
    private void awaitDelay(LoopType type, int number) throws InterruptedException {
        control.awaitDelay(delay(type, number), type.backoff() != LoopType.Backoff.FIXED);
    }

    /**
     * The loop's type in {@code latest} when the loop moves to that generation at this iteration:
     * a new version {@link AdoptionRule} says it adopts, or the same version it runs; null when it
     * stays on {@code current}'s generation. Events say what was adopted or kept, and why.
     */
    private LoopType adoptable(Generation latest, LoopType current, LoopRecord loop) {
        return switch (AdoptionRule.decide(current.version(), latest.snapshot().loopTypes().get(current.name()),
                loop.inputs())) {
            case AdoptionRule.Decision.Adopts adopts -> {
                events.emit(new LoopEvent.VersionAdopted(loopId, adopts.next().version(), latest.number()));
                yield adopts.next();
            }
            case AdoptionRule.Decision.Kept kept -> {
                events.emit(new LoopEvent.VersionKept(loopId, current.version(), "the new version of '"
                        + current.name() + "' does not accept its inputs: " + kept.why()));
                yield null;
            }
            case AdoptionRule.Decision.Same same -> latest.snapshot().loopTypes().get(current.name());
            case AdoptionRule.Decision.Finishes finishes -> null;
            case AdoptionRule.Decision.Pinned pinned -> null;
        };
    }

    /** Acts on a pending cancel, pause or drain between iterations; true when the loop stopped. */
    private boolean stopRequested() {
        Optional<Ending> requested = Ending.requested(control.request());
        requested.ifPresent(this::end);
        return requested.isPresent();
    }

    /**
     * The reason a person gave when they rejected the loop after its last iteration, for the next
     * iteration's {@code previous-output}; null when the loop was not just rejected.
     */
    private String rejection(LoopRecord loop) {
        if (loop.iterations() == 0) {
            return null;
        }
        List<LoopNote> notes = store.notes().of(loopId);
        LoopNote last = notes.isEmpty() ? null : notes.getLast();
        return last != null && last.action().equals(LoopDecisions.REJECTED) && last.iteration() == loop.iterations()
                ? last.detail() : null;
    }

    private void end(Ending ending) {
        durably(() -> lifecycle.ended(loopId, LoopState.RUNNING, ending));
    }

    /**
     * Runs a store write; while the data dir cannot be written, waits until it can and runs the
     * same write again — the failed one was rolled back, so repeating it is safe. This is where a
     * running loop pauses on a full disk, in the state the store has for it. A cancel or pause
     * asked meanwhile is acted on after the write. Gives up, with {@link Abandoned}, only when the
     * daemon stops: the store still has the loop as it was, and the next start resumes it.
     */
    private <T> T durably(Supplier<T> write) {
        StorageHealth storage = store.storage();
        while (true) {
            try {
                if (!storage.awaitWritable(this::daemonStopping)) {
                    throw new Abandoned();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned();
            }
            try {
                return write.get();
            } catch (StorageUnavailableException e) {
                // Rolled back; the health is unwritable now, so the next round waits.
            }
        }
    }

    private boolean daemonStopping() {
        LoopControl.Request request = control.request();
        return request == LoopControl.Request.DRAIN || request == LoopControl.Request.INTERRUPT;
    }

    /**
     * The loop stopped without recording anything more, because the daemon stops while the data
     * dir cannot be written. Caught by the scheduler's loop thread.
     */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("the daemon stops while the data dir cannot be written", null, false, false);
        }
    }

    /** Fixed delay, or doubled after each iteration up to max-delay. */
    static Duration delay(LoopType type, int iteration) {
        if (type.backoff() == LoopType.Backoff.FIXED || type.delay().isZero()) {
            return type.delay();
        }
        Duration delay = type.delay();
        for (int i = 1; i < iteration && delay.compareTo(type.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(type.maxDelay()) > 0 ? type.maxDelay() : delay;
    }

    private static LoopRecord withProgress(LoopRecord loop, String stateJson, int done) {
        return new LoopRecord(loop.id(), loop.type(), loop.typeVersion(), loop.inputs(), stateJson, LoopState.RUNNING,
                loop.reason(), done, loop.priority(), loop.after(), loop.workdir(), loop.createdAt(), loop.updatedAt(),
                loop.generation(), loop.iterationLimit());
    }
}
