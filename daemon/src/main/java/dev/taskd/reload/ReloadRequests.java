package dev.taskd.reload;

import dev.taskd.concurrent.Threads;
import java.util.function.Consumer;

/**
 * The asynchronous triggers of hot reload (file events, the resync, SIGHUP), coalesced: at most one
 * worker thread handles them one after another, and any number of requests that arrive while one
 * is handled collapse into one more, with the last trigger. So the last write always wins and is
 * never lost, and a storm of events costs one reload, not one each. Thread-safe.
 */
final class ReloadRequests {

    private final Consumer<ReloadTrigger> handler;
    private final Object lock = new Object();
    private ReloadTrigger pending;
    private boolean worker;

    /** @param handler handles one trigger, on the worker thread; what it throws ends only that request */
    ReloadRequests(Consumer<ReloadTrigger> handler) {
        this.handler = handler;
    }

    /** Asks for {@code trigger} to be handled, without waiting. */
    void request(ReloadTrigger trigger) {
        synchronized (lock) {
            pending = trigger;
            if (worker) {
                return;
            }
            worker = true;
        }
        Threads.startVirtual("reload-" + trigger.label(), this::drain);
    }

    private void drain() {
        while (true) {
            ReloadTrigger trigger;
            synchronized (lock) {
                trigger = pending;
                pending = null;
                if (trigger == null) {
                    worker = false;
                    return;
                }
            }
            handler.accept(trigger);
        }
    }
}
