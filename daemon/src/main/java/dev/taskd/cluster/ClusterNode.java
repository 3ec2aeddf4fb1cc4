package dev.taskd.cluster;

import dev.taskd.concurrent.Threads;
import dev.taskd.loop.ClusterAdmission;
import dev.taskd.loop.LoopEngine;
import dev.taskd.schedule.Firing;
import dev.taskd.store.BrokenDependency;
import dev.taskd.store.Claim;
import dev.taskd.store.ClusterStore;
import dev.taskd.store.LoopFencedException;
import dev.taskd.store.LoopState;
import dev.taskd.store.Membership;
import dev.taskd.store.NodeNameTakenException;
import dev.taskd.store.NodeStatus;
import dev.taskd.store.PublishedGeneration;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import dev.taskd.store.Takeover;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This daemon as a node of a cluster on one PostgreSQL database: it joins under its name, and a
 * heartbeat renews its lease on the database's clock and takes over the loops of nodes whose
 * lease ended. The node claims its loops there ({@link ClusterAdmission}).
 *
 * <p>The node knows its lease holds until the moment it sent its last successful renewal plus
 * one lease (measured on its own monotonic clock, which may only make it end sooner than the
 * database's). When that moment passes without a renewal — the database was unreachable, or the
 * daemon stood still (a GC pause, SIGSTOP) — or the database says the lease ended, the node
 * fences itself: it stops claiming, revokes the fences of its loops so that none writes again,
 * interrupts them (their processes are killed), and joins again as a new incarnation. Thread-safe.
 */
public final class ClusterNode implements ClusterAdmission, AutoCloseable {

    /** What the node reports: joined, fenced, loops taken over or abandoned. */
    public interface Listener {
        void changed(String what, String detail, boolean warning);
    }

    /** How long a fenced node waits for its interrupted loops to stop before it joins again. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);
    private static final Duration COUNTS_AGE = Duration.ofMillis(250);

    private final ClusterStore cluster;
    private final Store store;
    private final String name;
    private final Duration lease;
    private final Duration heartbeat;
    private final Listener listener;
    /** Claims and self-fencing exclude each other, so no claim lands after the fences were revoked. */
    private final ReentrantLock claiming = new ReentrantLock();
    private volatile Membership member; // null while fenced, until the node joins again
    private volatile long leaseEndsNanos;
    private volatile boolean closed;
    private volatile Counted counted;
    private LoopEngine engine;
    private Thread thread;
    private volatile AutoCloseable companion;

    private ClusterNode(ClusterStore cluster, Store store, String name, Duration lease, Duration heartbeat,
                        Listener listener) {
        this.cluster = cluster;
        this.store = store;
        this.name = name;
        this.lease = lease;
        this.heartbeat = heartbeat;
        this.listener = listener;
    }

    /**
     * Joins the cluster as {@code name}. While a node of that name still holds a lease, waits up
     * to one lease and one heartbeat for it to end: a daemon restarted after a crash (or kill -9)
     * finds its previous incarnation's lease running, and takes its loops back once it ends.
     *
     * @throws NodeNameTakenException when a node of that name still renews its lease: it is live
     */
    public static ClusterNode join(ClusterStore cluster, Store store, String name, Duration lease, Duration heartbeat,
                                   Listener listener) {
        ClusterNode node = new ClusterNode(cluster, store, name, lease, heartbeat, listener);
        long deadline = System.nanoTime() + lease.plus(heartbeat).toNanos();
        boolean told = false;
        while (true) {
            try {
                node.joinNow();
                return node;
            } catch (NodeNameTakenException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                if (!told) {
                    listener.changed("waiting", e.getMessage() + "; waiting up to " + lease.plus(heartbeat).toMillis()
                            + " ms for that lease to end (a restart after a crash)", false);
                    told = true;
                }
                sleep(heartbeat);
            }
        }
    }

    private static void sleep(Duration time) {
        try {
            Thread.sleep(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to join the cluster", e);
        }
    }

    /**
     * Starts the engine claiming loops here, and the heartbeat.
     *
     * @return 0: a node resumes nothing itself; the loops of a node that died are taken over
     */
    public int start(LoopEngine loops) {
        this.engine = loops;
        loops.start(this);
        thread = Threads.startPlatformDaemon("taskd-heartbeat", this::beat);
        return 0;
    }

    /** How this node's schedules fire: each fire time on one node of the cluster. */
    public Firing firing() {
        return new ClusterFiring(cluster, name);
    }

    @Override
    public String node() {
        return name;
    }

    @Override
    public List<Claim> claim(int maxLoops, Map<String, Integer> perType) {
        claiming.lock();
        try {
            Membership now = member;
            if (now == null || System.nanoTime() >= leaseEndsNanos) {
                return List.of();
            }
            List<Claim> claims = cluster.claim(now, maxLoops, perType);
            claims.forEach(claim -> store.fences().hold(claim.fence(now)));
            return claims;
        } finally {
            claiming.unlock();
        }
    }

    @Override
    public List<BrokenDependency> brokenDependencies(int limit) {
        return member == null ? List.of() : cluster.brokenDependencies(limit);
    }

    @Override
    public void abandoned(String loopId, LoopFencedException refused) {
        listener.changed("loop_abandoned", refused.getMessage(), true);
    }

    /**
     * Counted at most {@link #COUNTS_AGE} ago: status, metrics and each submission's max-queued
     * check read them. While the database is out of reach, the last counts (none before the first).
     */
    @Override
    public Map<LoopState, Long> counts() {
        Counted last = counted;
        if (last == null || System.nanoTime() - last.atNanos() > COUNTS_AGE.toNanos()) {
            try {
                last = new Counted(cluster.countsByState(), System.nanoTime());
                counted = last;
            } catch (StoreException e) {
                return last == null ? Map.of() : last.counts();
            }
        }
        return last.counts();
    }

    private record Counted(Map<LoopState, Long> counts, long atNanos) {
    }

    @Override
    public List<NodeStatus> nodes() {
        return cluster.nodes();
    }

    @Override
    public Optional<PublishedGeneration> configurationHead() {
        return cluster.head();
    }

    /** The database side of the cluster this node uses. */
    public ClusterStore store() {
        return cluster;
    }

    /** Closed first when the node closes, while the database is still open. */
    void closeFirst(AutoCloseable companion) {
        this.companion = companion;
    }

    /** This node's incarnation now; empty while it is fenced, until it joins again. */
    public Optional<Membership> membership() {
        return Optional.ofNullable(member);
    }

    /** The heartbeat: renews the lease, takes over expired nodes, fences this one when its lease ended. */
    private void beat() {
        while (!closed) {
            try {
                Thread.sleep(heartbeat);
            } catch (InterruptedException e) {
                return;
            }
            Membership now = member;
            if (now == null) {
                rejoin();
            } else if (System.nanoTime() >= leaseEndsNanos) {
                fence("its lease ended before it could be renewed (the daemon stood still, or the database was"
                        + " out of reach)");
            } else {
                renew(now);
            }
        }
    }

    private void renew(Membership now) {
        long sent = System.nanoTime();
        try {
            if (!cluster.renew(now, lease)) {
                fence("the database says its lease ended, or another node took its loops over");
                return;
            }
            leaseEndsNanos = sent + lease.toNanos();
            for (Takeover taken : cluster.takeOverExpired(now)) {
                listener.changed("takeover", "node " + taken.node() + " (incarnation " + taken.incarnation()
                        + ") lost its lease: " + taken.loops().size() + " loops back in the queue, "
                        + taken.interrupted().size() + " iterations recorded interrupted", false);
            }
        } catch (StoreException e) {
            if (System.nanoTime() >= leaseEndsNanos) {
                fence("its lease could not be renewed in time: " + e.getMessage());
            } else {
                listener.changed("heartbeat_failed", e.getMessage() + "; trying again in "
                        + heartbeat.toMillis() + " ms", true);
            }
        }
    }

    /** Stops claiming, refuses every further write of this incarnation's loops, stops them, and joins again. */
    private void fence(String why) {
        Membership lost = member;
        claiming.lock();
        try {
            member = null;
            store.fences().revokeAll();
        } finally {
            claiming.unlock();
        }
        int abandoned = engine.abandonRunning(ABANDON_WAIT);
        listener.changed("fenced", "node " + name + " (incarnation " + (lost == null ? "?" : lost.incarnation())
                + ") fenced itself: " + why + "; abandoned " + abandoned + " running loops, which other nodes take"
                + " over; joining again", true);
        rejoin();
    }

    private void rejoin() {
        try {
            joinNow();
        } catch (NodeNameTakenException e) {
            // This name's last incarnation is still live on the database's clock; try at the next beat.
        } catch (StoreException e) {
            listener.changed("heartbeat_failed", "joining again: " + e.getMessage(), true);
        }
    }

    private void joinNow() {
        long sent = System.nanoTime();
        Membership joined = cluster.join(name, lease);
        leaseEndsNanos = sent + lease.toNanos();
        member = joined;
        listener.changed("joined", "node " + name + " joined the cluster as incarnation " + joined.incarnation()
                + ", lease " + lease.toMillis() + " ms, heartbeat " + heartbeat.toMillis() + " ms", false);
    }

    /** Leaves the cluster; the engine must have drained first, so no loop runs here any more. */
    @Override
    public void close() {
        closed = true;
        try {
            if (companion != null) {
                companion.close();
            }
        } catch (Exception e) {
            listener.changed("close_failed", String.valueOf(e), true);
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Membership now = member;
        try {
            if (now != null) {
                cluster.leave(now);
            }
        } catch (StoreException e) {
            listener.changed("leave_failed", e.getMessage() + "; the other nodes take over when the lease ends", true);
        } finally {
            cluster.close();
        }
    }
}
