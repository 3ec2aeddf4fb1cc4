package dev.taskd.loop;

import dev.taskd.config.LoopType;
import dev.taskd.process.Commands;
import dev.taskd.script.LlmCalls;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.RunningIteration;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The loops of one daemon: submit, control and inspect them; on {@link #start}, resume what a
 * previous run left unfinished. Every change is in the store before a method returns.
 * Thread-safe.
 */
public final class LoopEngine implements AutoCloseable {

    /** How long cancel and pause-now wait for the loop to record its new state. */
    private static final long CONTROL_WAIT_SECONDS = 5;

    private final Store store;
    private final Supplier<Generation> generations;
    private final LoopDirs dirs;
    private final Scheduler scheduler;
    private final IdempotentSubmissions idempotent;
    private final TypeChanges typeChanges;
    private final LoopLifecycle lifecycle;
    private final LoopDecisions decisions;
    private volatile boolean draining;
    private ClusterAdmission cluster;

    /** @param archive earlier generations, for loops pinned to a version the generation in force lacks */
    public LoopEngine(Store store, Supplier<Generation> generations, GenerationArchive archive, Commands commands,
                      ScriptRunner scripts, LlmCalls llm, LoopEvents events, LoopDirs dirs) {
        this.store = store;
        this.generations = generations;
        this.dirs = dirs;
        this.idempotent = new IdempotentSubmissions(store, Clock.systemUTC());
        this.lifecycle = new LoopLifecycle(store, events);
        IterationRunner iterations = new IterationRunner(commands, scripts, llm, events);
        this.scheduler = new Scheduler(generations, store, running -> new LoopRunner(running.id(), running.claimed(), running.control(),
                store, generations, archive, iterations, lifecycle, events, new WorkPlaces(store, dirs, () -> cluster.node())), lifecycle);
        this.typeChanges = new TypeChanges(store, scheduler, lifecycle);
        this.decisions = new LoopDecisions(store, generations, scheduler, lifecycle, this::find);
    }

    /**
     * Records the iterations a crash cut off as interrupted, puts every loop that was running or
     * queued back in the queue, and starts admitting.
     *
     * @return how many loops were resumed
     */
    public int start() {
        for (RunningIteration cut : store.cutOffIterations()) {
            store.loop(cut.loopId()).ifPresent(loop -> lifecycle.cutOff(loop, cut));
        }
        int resumed = 0;
        for (LoopRecord loop : store.unfinished()) {
            if (loop.state() == LoopState.RUNNING && lifecycle.requeued(loop, LoopLifecycle.Requeue.RESTARTED)) {
                scheduler.enqueue(loop);
                resumed++;
            } else if (loop.state() == LoopState.QUEUED) {
                scheduler.enqueue(loop);
                resumed++;
            }
        }
        scheduler.start();
        return resumed;
    }

    /**
     * Starts as a node of a cluster: loops are claimed in the shared database, whichever node they
     * were submitted on; nothing is resumed here, since a dead node's loops are taken over by the
     * live ones (see {@link ClusterAdmission}).
     */
    public void start(ClusterAdmission admission) {
        cluster = admission;
        scheduler.claimFrom(admission);
        scheduler.start();
    }

    /** The cluster this engine claims its loops in; empty for a daemon on its own. */
    public Optional<ClusterAdmission> cluster() {
        return Optional.ofNullable(cluster);
    }

    /**
     * The node lost its lease: interrupts every running loop (killing its processes) and waits up
     * to {@code timeout} for each to stop. Their fences must have been revoked first, so they
     * write nothing more: the loops belong to whichever node takes them over.
     *
     * @return how many loops were abandoned
     */
    public int abandonRunning(Duration timeout) {
        List<Scheduler.Running> running = scheduler.allRunning();
        running.forEach(entry -> entry.control().request(LoopControl.Request.INTERRUPT));
        long deadline = System.nanoTime() + timeout.toNanos();
        running.forEach(entry -> await(entry, Math.max(0, deadline - System.nanoTime())));
        return running.size();
    }

    public LoopRecord submit(Submission submission) {
        return create(submission, null);
    }

    /**
     * Submits once per {@code key}: a repeat of the same request with the same key answers the
     * loop the first one made (as it is now), even while draining; the key and the loop are
     * written in one transaction.
     *
     * @throws LoopException of kind {@code CONFLICT} when the key was used for another request
     */
    public Submitted submit(Submission submission, IdempotencyKey key) {
        return idempotent.submit(submission, key, this);
    }

    /** Makes a loop; with {@code key}, records the key in the loop's own transaction. */
    LoopRecord create(Submission submission, IdempotentSubmissions.Keyed key) {
        if (draining) {
            throw new LoopException(LoopException.Kind.DRAINING, "the daemon is stopping; submit again after it restarts");
        }
        store.storage().requireWritable();
        // One generation for the whole submission: the type's version and the generation recorded with it agree.
        Generation generation = generations.get();
        LoopType type = SubmittedInputs.type(generation.snapshot().loopTypes(), submission.type());
        Map<String, String> inputs = SubmittedInputs.check(type, submission.inputs());
        List<String> after = submission.after().stream().map(id -> find(id).id()).toList();
        int maxQueued = generation.snapshot().config().limits().maxQueued();
        // A place in the queue is taken before the loop is written and given back if that fails,
        // so concurrent submissions can never queue more than max-queued between them. In a
        // cluster the queue is the database's, counted a moment ago: nodes may overshoot by a few.
        if (!scheduler.reserve(cluster == null ? maxQueued : maxQueued - queuedCount())) {
            throw new LoopException(LoopException.Kind.QUEUE_FULL, "the queue holds " + maxQueued
                    + " loops (limits.max-queued); try again later");
        }
        boolean enqueued = false;
        try {
            LoopRecord loop = insert(submission, key, generation, type, inputs, after);
            scheduler.enqueueReserved(loop);
            enqueued = true;
            return loop;
        } finally {
            if (!enqueued) {
                scheduler.release();
            }
        }
    }

    private LoopRecord insert(Submission submission, IdempotentSubmissions.Keyed key, Generation generation,
                              LoopType type, Map<String, String> inputs, List<String> after) {
        String id = LoopIds.next();
        Path workdir = Workdirs.prepare(id, type, inputs, generation.snapshot().config().loops().workdirRoots(), dirs);
        Instant now = Instant.now();
        LoopRecord loop = new LoopRecord(id, type.name(), type.version(), inputs, "{}", LoopState.QUEUED, null, 0,
                submission.priority(), after, workdir.toString(), now, now, generation.number());
        try {
            lifecycle.submitted(loop, key);
        } catch (StoreException e) {
            Workdirs.forget(id, workdir, dirs, e);
            throw e;
        }
        return loop;
    }

    /** Cancels a loop that has not ended: a running one within a second, its processes killed. */
    public LoopRecord cancel(String idOrPrefix) {
        LoopRecord loop = find(idOrPrefix);
        if (!LoopLifecycle.allowed(loop.state(), LoopState.CANCELLED)) {
            throw conflict(loop, "cancel");
        }
        store.storage().requireWritable();
        if (!stopRunning(loop.id(), LoopControl.Request.CANCEL, true)) {
            if (!changeUnlessRunning(loop, new Ending.Cancelled())) {
                return stopRunning(loop.id(), LoopControl.Request.CANCEL, true) ? find(loop.id()) : cancel(loop.id());
            }
            scheduler.ended(loop.id());
        }
        return find(loop.id());
    }

    /** Pauses a loop: after its current iteration, or at once (interrupting it) when {@code now}. */
    public LoopRecord pause(String idOrPrefix, boolean now) {
        LoopRecord loop = find(idOrPrefix);
        if (!LoopLifecycle.allowed(loop.state(), LoopState.PAUSED)) {
            throw conflict(loop, "pause");
        }
        store.storage().requireWritable();
        if (!stopRunning(loop.id(), now ? LoopControl.Request.PAUSE_NOW : LoopControl.Request.PAUSE, now)) {
            if (!changeUnlessRunning(loop, new Ending.Paused())) {
                return pause(loop.id(), now);
            }
        }
        return find(loop.id());
    }

    public LoopRecord resume(String idOrPrefix) {
        LoopRecord loop = find(idOrPrefix);
        if (loop.state() != LoopState.PAUSED) {
            throw conflict(loop, "resume");
        }
        store.storage().requireWritable();
        if (lifecycle.requeued(loop, LoopLifecycle.Requeue.RESUMED)) {
            scheduler.enqueue(loop);
        }
        return find(loop.id());
    }

    /** People's decisions about loops that do not run: retry, approve, reject, and their notes. */
    public LoopDecisions decisions() {
        return decisions;
    }

    /**
     * Ends the wait of a loop that is not running, as {@code ending} says: out of the queue first, so
     * the scheduler cannot start it meanwhile, and back into it when the write fails, so that
     * the queue and the store never disagree.
     *
     * @return false when the loop was no longer in its state (it may have started)
     */
    private boolean changeUnlessRunning(LoopRecord loop, Ending ending) {
        boolean dequeued = scheduler.dequeue(loop.id());
        try {
            return lifecycle.ended(loop.id(), loop.state(), ending);
        } catch (StoreException e) {
            if (dequeued) {
                scheduler.enqueue(loop);
            }
            throw e;
        }
    }

    /** The loop with this id, or with an id starting with it when that is unique. */
    public LoopRecord find(String idOrPrefix) {
        Optional<LoopRecord> loop;
        try {
            loop = store.loop(idOrPrefix).or(() -> store.findByPrefix(idOrPrefix));
        } catch (StoreException e) {
            throw new LoopException(LoopException.Kind.AMBIGUOUS, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, e.getMessage());
        }
        return loop.orElseThrow(() -> new LoopException(LoopException.Kind.NOT_FOUND, "no loop '" + idOrPrefix + "'"));
    }

    /**
     * What the loop waits for before its next iteration, when it waits for something: its delay,
     * its place in the queue, a loop it runs after. Empty for a loop that runs an iteration, is
     * paused, blocked or ended.
     */
    public Optional<Waiting> waiting(String loopId) {
        return scheduler.waiting(loopId);
    }

    public List<LoopRecord> loops(LoopState state, String type, int limit, String afterId, boolean newestFirst) {
        return store.loops(state, type, limit, afterId, newestFirst);
    }

    public List<IterationRecord> iterations(String idOrPrefix) {
        return store.iterations(find(idOrPrefix).id());
    }

    /**
     * What {@code next} would do to loops now, changing nothing: the plan a dry run shows and
     * the reload then carries out.
     */
    public List<LoopEffect> effectsOf(Generation next) {
        return typeChanges.effectsOf(next);
    }

    /** Carries out what a newly applied generation does to queued and blocked loops; see {@link TypeChanges}. */
    public void generationApplied(Generation applied) {
        typeChanges.applied(applied);
    }

    /**
     * Loops by state, every state in {@link LoopState} order, for status and metrics: the store's
     * in-memory counts, so no query and no lock however many loops there are.
     */
    public Map<LoopState, Long> counts() {
        if (cluster != null) {
            return cluster.counts(); // the whole cluster's, counted in the database
        }
        return store.countsByState();
    }

    public int runningCount() {
        return scheduler.runningCount();
    }

    /** Queued loops: this daemon's queue, or in a cluster the cluster's. */
    public int queuedCount() {
        if (cluster != null) {
            return counts().getOrDefault(LoopState.QUEUED, 0L).intValue();
        }
        return scheduler.queued();
    }

    /** What a drain did: loops whose iteration ended by itself, and loops cut off at the timeout. */
    public record Drained(int finished, int interrupted) {
    }

    /** Refuses submissions from now on, as {@link #drain} does, at once: the first step of a stop. */
    public void refuseSubmissions() {
        draining = true;
    }

    /**
     * Stops admitting and refuses submissions; lets each running iteration finish within
     * {@code timeout}, after which the loop goes back to {@code queued}; interrupts what still runs
     * at the timeout (its processes killed, the iteration recorded as interrupted). Queued loops
     * stay queued. Everything resumes on the next start.
     */
    public Drained drain(Duration timeout) {
        draining = true;
        scheduler.stop();
        List<Scheduler.Running> running = scheduler.allRunning();
        running.forEach(entry -> entry.control().request(LoopControl.Request.DRAIN));
        long deadline = System.nanoTime() + timeout.toNanos();
        int interrupted = 0;
        for (Scheduler.Running entry : running) {
            if (!await(entry, Math.max(0, deadline - System.nanoTime()))) {
                entry.control().request(LoopControl.Request.INTERRUPT);
                interrupted++;
            }
        }
        for (Scheduler.Running entry : running) {
            await(entry, TimeUnit.SECONDS.toNanos(CONTROL_WAIT_SECONDS));
        }
        return new Drained(running.size() - interrupted, interrupted);
    }

    /** Drains with no time to finish: running iterations are interrupted at once. */
    @Override
    public void close() {
        drain(Duration.ZERO);
    }

    public boolean draining() {
        return draining;
    }

    /** Ids of running loops of {@code type}: after a reload removed it, those still finishing. */
    public List<String> runningOfType(String type) {
        return scheduler.allRunning().stream().filter(entry -> entry.type().equals(type)).map(Scheduler.Running::id)
                .toList();
    }

    private static boolean await(Scheduler.Running entry, long nanos) {
        try {
            entry.done().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /** Sends {@code request} to the loop if it runs; waits for it to stop when {@code wait}. */
    private boolean stopRunning(String id, LoopControl.Request request, boolean wait) {
        Optional<Scheduler.Running> running = scheduler.running(id);
        if (running.isEmpty()) {
            return false;
        }
        running.get().control().request(request);
        if (wait) {
            try {
                running.get().done().get(CONTROL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | ExecutionException e) {
                // Reported as it stands; the loop records its state when its iteration ends.
            }
        }
        return true;
    }

    private static LoopException conflict(LoopRecord loop, String action) {
        return new LoopException(LoopException.Kind.CONFLICT, "cannot " + action + " loop " + loop.id() + ": it is "
                + LoopEvent.label(loop.state()));
    }
}
