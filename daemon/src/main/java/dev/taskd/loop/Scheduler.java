package dev.taskd.loop;

import dev.taskd.concurrent.Threads;
import dev.taskd.config.TaskdConfig;
import dev.taskd.store.Claim;
import dev.taskd.store.LoopFencedException;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides which queued loops run: highest priority first, then oldest, while fewer than
 * {@code limits.max-loops} run and the type's {@code limits.per-type} allows, and once the loops
 * they run {@code after} have succeeded. Limits are read from the current generation on every
 * pass, so a reload changes admission at once and never preempts a running loop.
 *
 * <p>One virtual thread admits; it wakes on every submit and finish, and every 250 ms. A loop
 * whose dependency has not ended is parked on it ({@link AdmissionQueue}) and looked at again
 * when that dependency's run ends or it is {@link #ended} otherwise, so that a pass does not
 * read the store once per waiting loop; every {@link #RECHECK_NANOS} the awaited dependencies
 * are read once each as well, in case one ended without passing through this scheduler.
 */
final class Scheduler {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Loops a node claims per pass at most, so that a burst is shared among the nodes polling. */
    private static final int CLAIM_BATCH = 16;

    /**
     * A queued loop, ordered by priority (higher first), then id (which is creation order).
     * {@code after}: the loops it runs after, as submitted.
     */
    record Queued(String id, String type, int priority, List<String> after) {
        static final Comparator<Queued> ORDER = Comparator.comparingInt(Queued::priority).reversed()
                .thenComparing(Queued::id);

        Queued {
            after = List.copyOf(after);
        }

        static Queued of(LoopRecord loop) {
            return new Queued(loop.id(), loop.type(), loop.priority(), loop.after());
        }
    }

    /** A running loop: what can stop it, and when it has ended; {@code claimed} in a cluster. */
    record Running(String id, String type, boolean claimed, LoopControl control, CompletableFuture<Void> done) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AdmissionQueue queue = new AdmissionQueue();
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Integer> runningByType = new HashMap<>();
    private final Supplier<Generation> generations;
    private final Store store;
    private final Function<Running, Runnable> runners;
    private final LoopLifecycle lifecycle;
    /** Places taken by submissions being written; guarded by {@code lock}. */
    private int reserved;
    private volatile boolean stopped;
    /** In a cluster: where loops are claimed instead of taken from {@code queue}, which stays empty. */
    private ClusterAdmission cluster;
    private Thread admitter;
    private long lastRecheck = System.nanoTime();

    Scheduler(Supplier<Generation> generations, Store store, Function<Running, Runnable> runners,
              LoopLifecycle lifecycle) {
        this.generations = generations;
        this.store = store;
        this.runners = runners;
        this.lifecycle = lifecycle;
    }

    /** Admits claimed loops only, from now on; before {@link #start}. */
    void claimFrom(ClusterAdmission admission) {
        cluster = admission;
    }

    void start() {
        admitter = Threads.startVirtual("scheduler", this::admitLoop);
    }

    void enqueue(LoopRecord loop) {
        withLock(() -> {
            addUnlessClaimed(loop);
            wake.signalAll();
        });
    }

    /**
     * Takes a place in the queue for a loop about to be submitted, when fewer than {@code max}
     * are queued or reserved: admission counts a submission from here, not from its enqueue.
     * Follow with {@link #enqueueReserved} or {@link #release}.
     */
    boolean reserve(int max) {
        lock.lock();
        try {
            if (queue.size() + reserved >= max) {
                return false;
            }
            reserved++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a submitted loop in the place {@link #reserve} took for it. */
    void enqueueReserved(LoopRecord loop) {
        withLock(() -> {
            reserved--;
            addUnlessClaimed(loop);
            wake.signalAll();
        });
    }

    /** Gives back a place {@link #reserve} took, for a submission that failed. */
    void release() {
        withLock(() -> reserved--);
    }

    /** Takes a loop out of the queue; false when it was not queued (it may be running). */
    boolean dequeue(String id) {
        return locked(() -> queue.remove(id));
    }

    /**
     * Says that a loop that is not running has ended (cancelled while queued, paused or
     * blocked): the loops waiting for it are looked at again.
     */
    void ended(String id) {
        withLock(() -> {
            if (queue.release(id) > 0) {
                wake.signalAll();
            }
        });
    }

    int queued() {
        return locked(() -> queue.size());
    }

    int runningCount() {
        return locked(() -> running.size());
    }

    Optional<Running> running(String id) {
        return locked(() -> Optional.ofNullable(running.get(id)));
    }

    /**
     * What a loop waits for now: its place in the queue or the loop it runs after when queued,
     * its delay when running between iterations; empty when it waits for nothing here.
     */
    Optional<Waiting> waiting(String id) {
        lock.lock();
        try {
            Running entry = running.get(id);
            return entry != null ? entry.control().delay().map(Waiting.class::cast) : queue.waiting(id);
        } finally {
            lock.unlock();
        }
    }

    /** Every running loop, for a shutdown to interrupt. */
    List<Running> allRunning() {
        return locked(() -> List.copyOf(running.values()));
    }

    /** Takes every queued loop whose type {@code gone} says is gone out of the queue; their ids. */
    List<String> dequeueWhere(Predicate<String> gone) {
        return locked(() -> queue.removeWhere(queued -> gone.test(queued.type())));
    }

    /** The queued loops, in admission order. */
    List<Queued> queuedLoops() {
        return locked(() -> queue.all());
    }

    void stop() {
        stopped = true;
        if (admitter != null) {
            admitter.interrupt();
        }
    }

    private void admitLoop() {
        while (!stopped) {
            lock.lock();
            try {
                if (cluster != null) {
                    claim();
                }
                recheckIfDue();
                while (admit()) {
                    // a pass released loops that waited for one it dropped: they are candidates now
                }
                wake.await(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One pass over the candidates in order; called with the lock held.
     *
     * @return whether loops became candidates during the pass, so another pass is due
     */
    private boolean admit() {
        if (!store.storage().writable()) {
            return false; // a loop started now would only wait at its first write; it waits queued instead
        }
        TaskdConfig.Limits limits = generations.get().snapshot().config().limits();
        Iterator<Queued> candidates = queue.candidates();
        Map<Queued, String> toPark = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        while (candidates.hasNext() && running.size() < limits.maxLoops()) {
            Queued next = candidates.next();
            Integer typeLimit = limits.perType().get(next.type());
            if (typeLimit != null && runningByType.getOrDefault(next.type(), 0) >= typeLimit) {
                continue;
            }
            if (!next.after().isEmpty()) {
                Readiness readiness = readiness(next);
                switch (readiness) {
                    case Readiness.Waiting waiting -> toPark.put(next, waiting.dependency());
                    case Readiness.Dropped ignored -> {
                        candidates.remove();
                        dropped.add(next.id());
                    }
                    case Readiness.Ready ignored -> { }
                }
                if (!(readiness instanceof Readiness.Ready)) {
                    continue;
                }
            }
            candidates.remove();
            startRunner(next, false);
        }
        toPark.forEach(queue::park);
        int released = 0;
        for (String id : dropped) {
            released += queue.release(id);
        }
        return released > 0;
    }

    /** In a cluster, any node may run a loop: it is written to the store, and a node claims it there. */
    private void addUnlessClaimed(LoopRecord loop) {
        if (cluster == null) {
            queue.add(Queued.of(loop));
        }
    }

    /** Claims loops for the free places (a failed claim is tried again at the next pass); lock held. */
    private void claim() {
        TaskdConfig.Limits limits = generations.get().snapshot().config().limits();
        if (running.size() >= limits.maxLoops() || !store.storage().writable()) {
            return;
        }
        try {
            int upTo = Math.min(limits.maxLoops(), running.size() + CLAIM_BATCH);
            for (Claim claimed : cluster.claim(upTo, limits.perType())) {
                startRunner(new Queued(claimed.loopId(), claimed.type(), 0, List.of()), true);
            }
        } catch (StoreException e) {
            // The database is unreachable now; the heartbeat fences the node if it stays so.
        }
    }

    private void startRunner(Queued next, boolean claimed) {
        Running entry = new Running(next.id(), next.type(), claimed, new LoopControl(), new CompletableFuture<>());
        running.put(next.id(), entry);
        runningByType.merge(next.type(), 1, Integer::sum);
        Runnable runner = runners.apply(entry);
        Threads.startVirtual("loop-" + next.id(), () -> {
            try {
                runner.run();
            } catch (LoopRunner.Abandoned e) {
                // The daemon stops while the data dir is unwritable; the store keeps the loop's last state.
            } catch (LoopFencedException e) {
                cluster.abandoned(entry.id(), e); // another node owns it now: no further write, no event
            } finally {
                finished(entry);
            }
        });
    }

    /**
     * Whether every loop {@code queued} runs after has succeeded. A dependency that failed, was
     * cancelled or does not exist fails the dependant, with the reason, and drops it from the queue.
     * Reads each dependency once; called with the lock held, so a dependency that ends after the
     * read releases the dependant only once it is parked.
     */
    private Readiness readiness(Queued queued) {
        for (String dependency : queued.after()) {
            LoopState state = store.loop(dependency).map(LoopRecord::state).orElse(null);
            if (state == LoopState.SUCCEEDED) {
                continue;
            }
            if (state == null || state == LoopState.FAILED || state == LoopState.CANCELLED) {
                String reason = DependencyFailures.reason(dependency, state);
                try {
                    lifecycle.ended(queued.id(), LoopState.QUEUED, new Ending.Failed(reason));
                } catch (StoreException e) {
                    // Still queued in the store, so it stays queued here: parked on its ended
                    // dependency, it is released by the next recheck and tried again.
                    return new Readiness.Waiting(dependency);
                }
                return new Readiness.Dropped();
            }
            return new Readiness.Waiting(dependency);
        }
        return new Readiness.Ready();
    }

    /**
     * Releases the loops parked on a dependency that has ended, and in a cluster fails the queued
     * loops whose dependency failed; once per {@link #RECHECK_NANOS}.
     */
    private void recheckIfDue() {
        if (System.nanoTime() - lastRecheck < RECHECK_NANOS) {
            return;
        }
        lastRecheck = System.nanoTime();
        if (cluster != null) {
            DependencyFailures.failBroken(cluster, lifecycle);
        }
        for (String dependency : queue.awaitedDependencies()) {
            LoopState state = store.loop(dependency).map(LoopRecord::state).orElse(null);
            if (state == null || state.terminal()) {
                queue.release(dependency);
            }
        }
    }

    private void finished(Running entry) {
        lock.lock();
        try {
            if (entry.claimed()) {
                store.fences().release(entry.id());
            }
            running.remove(entry.id());
            runningByType.merge(entry.type(), -1, Integer::sum);
            queue.release(entry.id());
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        entry.done().complete(null);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
