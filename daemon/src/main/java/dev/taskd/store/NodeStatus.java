package dev.taskd.store;

import java.time.Instant;

/**
 * A node as the database sees it: its lease's end, and whether that is still ahead on the
 * database's clock; {@code running}: loops it owns in state running.
 */
public record NodeStatus(String name, long incarnation, Instant joinedAt, Instant renewedAt, Instant leaseUntil,
                         boolean live, int running) {
}
