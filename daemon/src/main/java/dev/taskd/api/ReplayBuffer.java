package dev.taskd.api;

import dev.taskd.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last {@link #CAPACITY} events, in id order, which every stream reads from at its own
 * {@link Cursor}: a client that reconnects with {@code Last-Event-ID} gets what it missed, and a
 * slow client cannot slow publishers or other clients. A reader whose cursor the buffer no longer
 * covers — older than the oldest event held, from before this daemon started, or after events were
 * lost — gets a {@link Reset} and continues from the newest event.
 *
 * <p>Thread-safe: one lock orders publishing and reading, so ids reach every reader in order.
 * Publishing never blocks on a reader; it blocks on the store once per {@link EventIds#BLOCK} ids.
 */
final class ReplayBuffer {

    static final int CAPACITY = 10_000;
    /** The most events one {@link #read} hands out. */
    static final int MAX_BATCH = 256;

    /**
     * One published event: {@code name} is the SSE event's, {@code type} the name a
     * {@code type} filter matches (a loop event's own name, else the SSE name), {@code loopId}
     * the loop it is about, or null.
     */
    record Event(long id, String name, String type, String loopId, String data) {
    }

    /** What a read answers. */
    sealed interface Read permits Events, Reset {
    }

    /** Events after the cursor, oldest first; empty when none came within the wait. */
    record Events(List<Event> events) implements Read {
    }

    /**
     * The reader cannot be given what it missed: {@code reason} says why; it continues after
     * {@code newestId}. {@code oldestId} is the oldest event held, or -1 when none is.
     */
    record Reset(String reason, long lastEventId, long oldestId, long newestId) implements Read {
    }

    /** Where one reader is: the last id it was given, and the losses it has been told of. */
    static final class Cursor {
        private long after;
        private long lossesSeen;

        private Cursor(long after, long lossesSeen) {
            this.after = after;
            this.lossesSeen = lossesSeen;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final EventIds ids;
    private final Event[] ring;
    private long newest;
    private long losses;
    private boolean closed;

    ReplayBuffer(EventIds ids) {
        this(ids, CAPACITY);
    }

    ReplayBuffer(EventIds ids, int capacity) {
        this.ids = ids;
        this.ring = new Event[capacity];
        this.newest = ids.first() - 1;
    }

    /**
     * Gives the event the next id and keeps it. When the id cannot be reserved (the store refuses
     * a write), the event is lost and every reader gets a {@link Reset} instead of a silent gap.
     */
    void publish(String name, String data) {
        publish(name, name, null, data);
    }

    /** As {@link #publish(String, String)}, with what a stream's filter matches ({@link Event}). */
    void publish(String name, String type, String loopId, String data) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            long id;
            try {
                id = ids.next();
            } catch (StoreException e) {
                losses++;
                published.signalAll();
                return;
            }
            ring[slot(id)] = new Event(id, name, type, loopId, data);
            newest = id;
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A reader after {@code lastEventId}, or after the newest event when there is none (live only). */
    Cursor cursor(Long lastEventId) {
        lock.lock();
        try {
            return new Cursor(lastEventId == null ? newest : lastEventId, losses);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What comes after {@code cursor}, moving it on: waits up to {@code wait} when nothing does.
     * Answers empty at once when closed.
     */
    Read read(Cursor cursor, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!closed && cursor.after == newest && cursor.lossesSeen == losses && nanos > 0) {
                nanos = published.awaitNanos(nanos);
            }
            if (closed) {
                return new Events(List.of());
            }
            String reason = resetReason(cursor);
            if (reason != null) {
                Reset reset = new Reset(reason, cursor.after, newest >= oldest() ? oldest() : -1, newest);
                cursor.after = newest;
                cursor.lossesSeen = losses;
                return reset;
            }
            List<Event> events = new ArrayList<>();
            for (long id = cursor.after + 1; id <= newest && events.size() < MAX_BATCH; id++) {
                events.add(ring[slot(id)]);
            }
            if (!events.isEmpty()) {
                cursor.after = events.getLast().id();
            }
            return new Events(events);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every reader, which then ends; later events are not kept. Records the last id handed out. */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            published.signalAll();
            ids.close();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private String resetReason(Cursor cursor) {
        if (cursor.lossesSeen != losses) {
            return (losses - cursor.lossesSeen) + " events were not sent: the store refused to record their ids";
        }
        if (cursor.after > newest) {
            return "Last-Event-ID " + cursor.after + " is newer than any event sent (the newest is " + newest + ")";
        }
        if (cursor.after < ids.first() - 1) {
            return "Last-Event-ID " + cursor.after + " is from before this daemon started (its first event is "
                    + ids.first() + "); earlier events are not kept across restarts";
        }
        if (cursor.after < oldest() - 1) {
            return "Last-Event-ID " + cursor.after + " is older than the oldest event held (" + oldest()
                    + "); the daemon keeps the last " + ring.length + " events";
        }
        return null;
    }

    private long oldest() {
        return Math.max(ids.first(), newest - ring.length + 1);
    }

    private int slot(long id) {
        return (int) Math.floorMod(id, (long) ring.length);
    }
}
