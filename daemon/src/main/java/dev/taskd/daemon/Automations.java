package dev.taskd.daemon;

import dev.taskd.cluster.ClusterNode;
import dev.taskd.event.DaemonEvent;
import dev.taskd.event.TaskdEvent;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.loop.LoopEvent;
import dev.taskd.loop.LoopException;
import dev.taskd.notify.Notifier;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.schedule.Firing;
import dev.taskd.schedule.Schedules;
import dev.taskd.store.Store;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the daemon does of its own accord: schedules that submit loops, and webhooks told of
 * events. Both read the generation in force, so a reload changes them without a restart; both
 * run on threads of their own, so neither can hold up a loop or a reload.
 */
final class Automations implements AutoCloseable {

    private final Schedules schedules;
    private final Notifier notifier;

    /** @param cluster the node of the cluster this daemon is, or null for a daemon on its own */
    Automations(Supplier<Generation> generation, LoopEngine engine, Store store, EventLog log, ClusterNode cluster) {
        this.schedules = new Schedules(() -> generation.get().snapshot().config().schedules(), engine, store,
                cluster == null ? Firing.SINGLE_NODE : cluster.firing(), event -> log.emit(new DaemonEvent.Scheduled(event)), Clock.systemUTC());
        this.notifier = new Notifier(() -> generation.get().snapshot().config().notifications(),
                loopId -> typeOf(engine, loopId), System::getenv,
                failed -> log.emit(new DaemonEvent.NotificationFailed(failed.target(), failed.event(), failed.id(),
                        failed.attempts(), failed.error())));
    }

    /** Starts both; after the engine resumed its loops, so that a caught-up fire queues behind them. */
    void start() {
        notifier.start();
        schedules.start();
    }

    /** Every loop, reload and plan event: to the webhooks that want it; a loop's run ending may let a queued fire go. */
    void offer(TaskdEvent event) {
        notifier.offer(event);
        if (event instanceof TaskdEvent.Loop loop && loop.event() instanceof LoopEvent.Finished) {
            schedules.wake();
        }
    }

    /** A reload ended: webhooks hear of it, and the schedules take up the generation in force. */
    void reloaded(ReloadEvent reload) {
        offer(new TaskdEvent.Reload(reload));
        schedules.wake();
    }

    Schedules schedules() {
        return schedules;
    }

    Notifier notifier() {
        return notifier;
    }

    /** Stops the schedules: before the engine drains, so that no fire meets a draining engine. */
    void stopFiring() {
        schedules.close();
    }

    /**
     * Stops the schedules, if still firing, and the webhooks: after the drain, so that the loops
     * ending in it are still told of.
     */
    @Override
    public void close() {
        schedules.close();
        notifier.close();
    }

    private static Optional<String> typeOf(LoopEngine engine, String loopId) {
        try {
            return Optional.of(engine.find(loopId).type());
        } catch (LoopException e) {
            return Optional.empty();
        }
    }
}
