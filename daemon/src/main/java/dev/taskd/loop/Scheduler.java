package dev.taskd.loop;

import dev.taskd.config.TaskdConfig;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.Store;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides which queued loops run: highest priority first, then oldest, while fewer than
 * {@code limits.max-loops} run and the type's {@code limits.per-type} allows, and once the loops
 * they run {@code after} have succeeded. Limits are read from the current generation on every
 * pass, so a reload changes admission at once and never preempts a running loop.
 *
 * <p>One virtual thread admits; it wakes on every submit and finish, and every 250 ms.
 */
final class Scheduler {

    /** A queued loop, ordered by priority (higher first), then id (which is creation order). */
    record Queued(String id, String type, int priority, boolean hasDependencies) {
        static final Comparator<Queued> ORDER = Comparator.comparingInt(Queued::priority).reversed()
                .thenComparing(Queued::id);
    }

    /** A running loop: what can stop it, and when it has ended. */
    record Running(String id, String type, LoopControl control, CompletableFuture<Void> done) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final TreeSet<Queued> queue = new TreeSet<>(Queued.ORDER);
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Integer> runningByType = new HashMap<>();
    private final Supplier<Generation> generations;
    private final Store store;
    private final Function<Running, Runnable> runners;
    private final LoopEvents events;
    private volatile boolean stopped;
    private Thread admitter;

    Scheduler(Supplier<Generation> generations, Store store, Function<Running, Runnable> runners, LoopEvents events) {
        this.generations = generations;
        this.store = store;
        this.runners = runners;
        this.events = events;
    }

    void start() {
        admitter = Threads.startVirtual("scheduler", this::admitLoop);
    }

    void enqueue(LoopRecord loop) {
        withLock(() -> queue.add(new Queued(loop.id(), loop.type(), loop.priority(), !loop.after().isEmpty())));
        signal();
    }

    /** Takes a loop out of the queue; false when it was not queued (it may be running). */
    boolean dequeue(String id) {
        lock.lock();
        try {
            return queue.removeIf(queued -> queued.id().equals(id));
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    int runningCount() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    Optional<Running> running(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(running.get(id));
        } finally {
            lock.unlock();
        }
    }

    /** Every running loop, for a shutdown to interrupt. */
    java.util.List<Running> allRunning() {
        lock.lock();
        try {
            return java.util.List.copyOf(running.values());
        } finally {
            lock.unlock();
        }
    }

    /** Takes every queued loop whose type {@code gone} says is gone out of the queue; their ids. */
    java.util.List<String> dequeueWhere(java.util.function.Predicate<String> gone) {
        lock.lock();
        try {
            java.util.List<String> removed = new java.util.ArrayList<>();
            queue.removeIf(queued -> {
                if (gone.test(queued.type())) {
                    removed.add(queued.id());
                    return true;
                }
                return false;
            });
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** The queued loops, in admission order. */
    java.util.List<Queued> queuedLoops() {
        lock.lock();
        try {
            return java.util.List.copyOf(queue);
        } finally {
            lock.unlock();
        }
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
                admit();
                wake.await(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** One pass over the queue in order; called with the lock held. */
    private void admit() {
        TaskdConfig.Limits limits = generations.get().snapshot().config().limits();
        Iterator<Queued> candidates = queue.iterator();
        while (candidates.hasNext() && running.size() < limits.maxLoops()) {
            Queued next = candidates.next();
            Integer typeLimit = limits.perType().get(next.type());
            if (typeLimit != null && runningByType.getOrDefault(next.type(), 0) >= typeLimit) {
                continue;
            }
            if (next.hasDependencies()) {
                Readiness readiness = readiness(next);
                if (readiness == Readiness.DROPPED) {
                    candidates.remove();
                }
                if (readiness != Readiness.READY) {
                    continue;
                }
            }
            candidates.remove();
            Running entry = new Running(next.id(), next.type(), new LoopControl(), new CompletableFuture<>());
            running.put(next.id(), entry);
            runningByType.merge(next.type(), 1, Integer::sum);
            Runnable runner = runners.apply(entry);
            Threads.startVirtual("loop-" + next.id(), () -> {
                try {
                    runner.run();
                } finally {
                    finished(entry);
                }
            });
        }
    }

    private enum Readiness { READY, WAITING, DROPPED }

    /**
     * Whether every loop {@code queued} runs after has succeeded. A dependency that failed, was
     * cancelled or does not exist fails the dependant, with the reason, and drops it from the queue.
     */
    private Readiness readiness(Queued queued) {
        LoopRecord loop = store.loop(queued.id()).orElse(null);
        if (loop == null) {
            return Readiness.DROPPED;
        }
        for (String dependency : loop.after()) {
            LoopState state = store.loop(dependency).map(LoopRecord::state).orElse(null);
            if (state == LoopState.SUCCEEDED) {
                continue;
            }
            if (state == null || state == LoopState.FAILED || state == LoopState.CANCELLED) {
                String reason = "dependency " + dependency + (state == null ? " does not exist"
                        : " " + state.name().toLowerCase(java.util.Locale.ROOT));
                if (store.updateLoopState(queued.id(), LoopState.QUEUED, LoopState.FAILED, reason)) {
                    events.emit("loop_finished", queued.id(), Map.of("state", "failed", "reason", reason));
                }
                return Readiness.DROPPED;
            }
            return Readiness.WAITING;
        }
        return Readiness.READY;
    }

    private void finished(Running entry) {
        lock.lock();
        try {
            running.remove(entry.id());
            runningByType.merge(entry.type(), -1, Integer::sum);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        entry.done().complete(null);
    }

    private void signal() {
        withLock(wake::signalAll);
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
