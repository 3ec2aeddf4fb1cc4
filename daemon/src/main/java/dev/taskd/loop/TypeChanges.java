package dev.taskd.loop;

import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a new generation does to the loops of types it adds, changes or removes: running loops
 * (through {@link GenerationEffects}), queued loops of a removed type (blocked), blocked loops
 * whose type is back (queued again) — planned for a dry run, and carried out once applied.
 * Thread-safe as the store and scheduler are.
 */
final class TypeChanges {

    private final Store store;
    private final Scheduler scheduler;
    private final LoopLifecycle lifecycle;

    TypeChanges(Store store, Scheduler scheduler, LoopLifecycle lifecycle) {
        this.store = store;
        this.scheduler = scheduler;
        this.lifecycle = lifecycle;
    }

    /**
     * What {@code next} would do to loops now, changing nothing: the plan a dry run shows and
     * the reload then carries out.
     */
    List<LoopEffect> effectsOf(Generation next) {
        List<LoopEffect> effects = new ArrayList<>(GenerationEffects.running(scheduler.allRunning(), next,
                store::loop));
        for (Scheduler.Queued queued : scheduler.queuedLoops()) {
            if (!next.snapshot().loopTypes().containsKey(queued.type())) {
                effects.add(new LoopEffect(queued.id(), queued.type(), LoopEffect.Effect.BLOCKED,
                        blockedReason(queued.type())));
            }
        }
        for (LoopRecord blocked : blockedLoops()) {
            if (next.snapshot().loopTypes().containsKey(blocked.type())) {
                effects.add(new LoopEffect(blocked.id(), blocked.type(), LoopEffect.Effect.RESUMED,
                        "its type is back"));
            }
        }
        return effects;
    }

    /**
     * Carries out what a newly applied generation does to queued and blocked loops: queued loops
     * whose type is gone become blocked (new submissions of it get 404), blocked loops whose type
     * is back are queued again. Running loops need nothing: they read the generation themselves.
     * Call after the generation is in force.
     */
    void applied(Generation applied) {
        Predicate<String> gone = type -> !applied.snapshot().loopTypes().containsKey(type);
        for (String id : scheduler.dequeueWhere(gone)) {
            LoopRecord loop = store.loop(id).orElse(null);
            try {
                if (loop != null) {
                    lifecycle.ended(id, LoopState.QUEUED, new Ending.Blocked(loop.type(), blockedReason(loop.type())));
                }
            } catch (StoreException e) {
                scheduler.enqueue(loop); // still queued in the store: it blocks when it is admitted
            }
        }
        for (LoopRecord blocked : blockedLoops()) {
            try {
                if (!gone.test(blocked.type()) && lifecycle.requeued(blocked, LoopLifecycle.Requeue.UNBLOCKED)) {
                    scheduler.enqueue(blocked);
                }
            } catch (StoreException e) {
                // Still blocked in the store and not queued: the next reload unblocks it.
            }
        }
    }

    private List<LoopRecord> blockedLoops() {
        return store.unfinished().stream().filter(loop -> loop.state() == LoopState.BLOCKED).toList();
    }

    private static String blockedReason(String type) {
        return "loop type '" + type + "' was removed; the loop resumes if it returns";
    }
}
