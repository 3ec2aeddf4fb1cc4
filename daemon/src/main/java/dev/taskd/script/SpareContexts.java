package dev.taskd.script;

import dev.taskd.loop.Threads;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh contexts made ahead of use, and used ones closed after it, both on a housekeeping thread.
 * Building and initialising a sandboxed context, and closing it, are most of what a trivial
 * script iteration costs; done while loops wait between iterations (store writes, delays), they
 * leave the iteration path. A spare is as fresh as a context built on the spot: no script has run
 * in it, and it serves one call only.
 *
 * <p>Bounded: at most {@link #CAPACITY} spares and {@link #CAPACITY} used contexts waiting to be
 * closed; past that, {@link #retire} closes on the calling thread. At most one housekeeping thread
 * runs at a time. A context is never handed out twice; every used context is closed. Spares not
 * taken stay open until the process exits, like the shared engine they belong to. When there is
 * no spare (the first call, many loops at once) or none can be made, {@link #take} builds a
 * context on the calling thread, so a failure to build one is reported by the call that needed
 * it. Thread-safe.
 */
final class SpareContexts {

    static final int CAPACITY = 2;

    private static final Logger LOG = LoggerFactory.getLogger(SpareContexts.class);

    private final Queue<FreshContext> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final Queue<FreshContext> retired = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retiredCount = new AtomicInteger();
    private final AtomicBoolean housekeeping = new AtomicBoolean();

    /** A fresh context for one call; give it back to {@link #retire} when the call is over. */
    FreshContext take() {
        FreshContext spare = spares.poll();
        if (spare == null) {
            return FreshContext.create();
        }
        spareCount.decrementAndGet();
        return spare;
    }

    /**
     * Closes a context whose call is over, soon and on another thread, and starts making a spare
     * to replace it. Call it after the call, not before: the housekeeping then competes with the
     * loop's bookkeeping rather than with the script. The context may already be closed (a
     * cancellation closes it at once).
     */
    void retire(FreshContext used) {
        if (retiredCount.incrementAndGet() > CAPACITY) {
            retiredCount.decrementAndGet();
            close(used);
        } else {
            retired.add(used);
        }
        startHousekeeping();
    }

    /** How many spares are ready now. */
    int ready() {
        return spareCount.get();
    }

    /**
     * A platform thread, not a virtual one: making contexts is a millisecond or more of CPU without
     * a blocking call, and on a virtual thread it would hold one of the few carriers that all loops
     * and HTTP requests share.
     */
    private void startHousekeeping() {
        if (housekeeping.compareAndSet(false, true)) {
            Threads.startPlatformDaemon("script-contexts", this::housekeep);
        }
    }

    /** Closes what was retired and makes at most {@link #CAPACITY} spares, then ends: the next retire starts it again. */
    private void housekeep() {
        try {
            closeRetired();
            for (int made = 0; made < CAPACITY && spareCount.get() < CAPACITY; made++) {
                spares.add(FreshContext.create());
                spareCount.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // No spare then: the next take() builds a context itself and reports what fails there.
            LOG.debug("could not make a spare script context", e);
        } finally {
            housekeeping.set(false);
        }
        // A context retired after closeRetired() but before the flag was cleared found it set.
        if (!retired.isEmpty()) {
            startHousekeeping();
        }
    }

    private void closeRetired() {
        FreshContext used;
        while ((used = retired.poll()) != null) {
            retiredCount.decrementAndGet();
            close(used);
        }
    }

    private static void close(FreshContext used) {
        try {
            used.close();
        } catch (RuntimeException e) {
            // Still executing or failing to close cleanly: cancel it, which always closes.
            try {
                used.context().close(true);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                LOG.warn("a script context did not close", e);
            }
        }
    }
}
