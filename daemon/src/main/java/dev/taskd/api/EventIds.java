package dev.taskd.api;

import dev.taskd.store.Store;
import dev.taskd.store.StoreException;

/**
 * Ids of {@code /v1/events} that never repeat or go back for the life of the data dir, across
 * restarts and crashes. Like a PostgreSQL sequence with a cache, ids are reserved in blocks: the
 * end of the block is written to the store's {@code meta} table, durably, before the block's
 * first id is handed out, and a start continues after the last reservation. A crash thus skips
 * the rest of its block (ids jump) but never hands one out twice; a clean stop records the last
 * id handed out, so the next start continues right after it.
 *
 * <p>Not thread-safe: {@link ReplayBuffer} calls it under its lock.
 */
final class EventIds {

    static final String META_KEY = "events.reserved_through";
    static final long BLOCK = 1000;

    private final Store store;
    private final long first;
    private long next;
    private long reservedThrough;

    private EventIds(Store store, long reservedThrough) {
        this.store = store;
        this.reservedThrough = reservedThrough;
        this.first = reservedThrough + 1;
        this.next = first;
    }

    /** Continues after the last reservation in {@code store}; writes nothing until the first id. */
    static EventIds open(Store store) {
        String reserved = store.meta(META_KEY).orElse("0");
        try {
            return new EventIds(store, Long.parseLong(reserved));
        } catch (NumberFormatException e) {
            throw new StoreException("meta " + META_KEY + " is '" + reserved + "', not a number; set it to a number"
                    + " at least as high as any event id clients have seen", e);
        }
    }

    /** The first id of this daemon's run; every id before it belongs to an earlier run. */
    long first() {
        return first;
    }

    /**
     * The next id, reserving a new block first when this one is used up.
     *
     * @throws StoreException when the reservation cannot be written; no id was handed out
     */
    long next() {
        if (next > reservedThrough) {
            long through = next + BLOCK - 1;
            store.putMeta(META_KEY, Long.toString(through));
            reservedThrough = through;
        }
        return next++;
    }

    /**
     * Records the last id handed out as the reservation, so the next start continues right after
     * it. Call once, when no more ids will be asked for.
     *
     * @throws StoreException when it cannot be written: the next start then skips the rest of the block
     */
    void close() {
        if (reservedThrough >= next) {
            store.putMeta(META_KEY, Long.toString(next - 1));
            reservedThrough = next - 1;
        }
    }
}
