package dev.taskd.store;

import java.time.Instant;

/**
 * A node as the database sees it: its lease's end, and whether that is still ahead on the
 * database's clock; {@code running}: loops it owns in state running. Its acknowledgement of the
 * cluster's configuration: {@code appliedGeneration} (null until it acknowledged one) since
 * {@code appliedAt}, the last generation it rejected ({@code rejectedGeneration}, null when none,
 * or when its last error was a change of its own files that was never published) and
 * {@code lastError}; {@code draining} while it stops.
 */
public record NodeStatus(String name, long incarnation, Instant joinedAt, Instant renewedAt, Instant leaseUntil,
                         boolean live, int running, Long appliedGeneration, Instant appliedAt,
                         Long rejectedGeneration, String lastError, boolean draining) {
}
