package dev.taskd.script;

import dev.taskd.concurrent.Threads;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
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
 * closed; past that, {@link #retire} closes on the calling thread. One housekeeping thread, started
 * by the first retire and parked while there is nothing to do (a thread per retire cost more than
 * the work it did at low iteration rates). A context is never handed out twice; every used
 * context is closed. Spares not taken stay open until the process exits, like the shared engine
 * they belong to. When there is no spare (the first call, many loops at once) or none can be
 * made, {@link #take} builds a context on the calling thread, so a failure to build one is
 * reported by the call that needed it. Thread-safe.
 */
final class SpareContexts {

    static final int CAPACITY = 2;

    private static final Logger LOG = LoggerFactory.getLogger(SpareContexts.class);

    private final Queue<FreshContext> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final Queue<FreshContext> retired = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retiredCount = new AtomicInteger();
    /** Released by every retire; the housekeeper drains it, so many retires make one pass. */
    private final Semaphore work = new Semaphore(0);
    private final AtomicBoolean housekeeperStarted = new AtomicBoolean();

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
        wakeHousekeeper();
    }

    /** How many spares are ready now. */
    int ready() {
        return spareCount.get();
    }

    /** How many retired contexts are not closed yet. */
    int closing() {
        return retiredCount.get();
    }

    /**
     * A platform thread, not a virtual one: making contexts is a millisecond or more of CPU without
     * a blocking call, and on a virtual thread it would hold one of the few carriers that all loops
     * and HTTP requests share.
     */
    private void wakeHousekeeper() {
        if (housekeeperStarted.compareAndSet(false, true)) {
            Threads.startPlatformDaemon("script-contexts", this::housekeepForever);
        }
        work.release();
    }

    private void housekeepForever() {
        while (true) {
            try {
                work.acquire();
            } catch (InterruptedException e) {
                return;
            }
            work.drainPermits();
            closeRetired();
            makeSpares();
        }
    }

    private void makeSpares() {
        try {
            while (spareCount.get() < CAPACITY) {
                spares.add(FreshContext.create());
                spareCount.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // No spare then: the next take() builds a context itself and reports what fails there.
            LOG.debug("could not make a spare script context", e);
        }
    }

    private void closeRetired() {
        FreshContext used;
        while ((used = retired.poll()) != null) {
            close(used);
            retiredCount.decrementAndGet();
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
