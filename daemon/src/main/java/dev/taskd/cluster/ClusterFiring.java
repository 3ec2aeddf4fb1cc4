package dev.taskd.cluster;

import dev.taskd.schedule.Firing;
import dev.taskd.store.ClusterStore;
import dev.taskd.store.StoreException;
import java.time.Duration;
import java.time.Instant;

/**
 * A schedule fires once per cluster: the node whose claim of (schedule, fire time) in the database
 * inserted the row fires it; the others let it pass. While the database is out of reach the node
 * fires anyway: the fire's idempotency key ({@code schedule:NAME:TIME}) still makes a second fire
 * of the same time answer the first one's loop, and a missed fire would be lost for good.
 * Called on the schedules' one thread.
 */
final class ClusterFiring implements Firing {

    /** How often a node prunes old claims, along with a claim. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final ClusterStore cluster;
    private final String node;
    private long prunedNanos = System.nanoTime() - PRUNE_EVERY.toNanos();

    ClusterFiring(ClusterStore cluster, String node) {
        this.cluster = cluster;
        this.node = node;
    }

    @Override
    public boolean thisNodeFires(String schedule, Instant time) {
        boolean prune = System.nanoTime() - prunedNanos >= PRUNE_EVERY.toNanos();
        try {
            boolean mine = cluster.claimFire(schedule, time, node, prune);
            if (prune) {
                prunedNanos = System.nanoTime();
            }
            return mine;
        } catch (StoreException e) {
            return true;
        }
    }
}
