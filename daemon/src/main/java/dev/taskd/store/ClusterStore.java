package dev.taskd.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's side of the PostgreSQL store: nodes and their leases, claiming queued loops and
 * taking over the loops of nodes whose lease ended. Every time here is the database's clock
 * ({@code now()} in SQL), never a node's: nodes whose clocks disagree still agree on who is live.
 *
 * <p>Each operation is one short transaction of its own, beside the {@link Store}'s writer (a
 * heartbeat must never wait behind a batch of writes). Claims and takeovers lock the loops they
 * move ({@code FOR UPDATE}, {@code SKIP LOCKED} for claims), so two nodes never move the same loop.
 * Thread-safe.
 */
public final class ClusterStore implements AutoCloseable {

    private static final int POOL_SIZE = 3;

    private final PostgresTarget target;
    private final HikariDataSource pool;

    private ClusterStore(PostgresTarget target, HikariDataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    /**
     * Connects to the database of {@code target}, whose tables a {@link Store} opened on it has
     * created.
     */
    public static ClusterStore open(PostgresTarget target) {
        HikariConfig config = target.pool("taskd-cluster");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        // A heartbeat that cannot get a connection within a second has failed; it tries again.
        config.setConnectionTimeout(Duration.ofSeconds(1).toMillis() + 250);
        config.setInitializationFailTimeout(-1);
        return new ClusterStore(target, new HikariDataSource(config));
    }

    /**
     * Joins the cluster as a new incarnation of {@code node} with a lease of {@code lease}.
     *
     * @throws NodeNameTakenException when a node of that name holds a lease now
     */
    public Membership join(String node, Duration lease) {
        return transaction("join as node " + node, c -> ClusterRows.join(c, node, lease));
    }

    /**
     * Extends the lease by {@code lease} from now (the database's now) while it has not ended.
     *
     * @return false when it had ended, or the node was taken over: the incarnation is dead, and
     *         the caller must stop its loops and join again
     */
    public boolean renew(Membership member, Duration lease) {
        return transaction("renew the lease of node " + member.node(), c -> ClusterRows.renew(c, member, lease));
    }

    /**
     * Leaves the cluster at a clean stop: any loop still running on the member goes back to the
     * queue as a takeover would put it (none, when the engine drained first).
     */
    public void leave(Membership member) {
        transaction("leave as node " + member.node(),
                c -> Takeovers.moveNode(c, member.node(), member.incarnation(), member.node()));
    }

    /**
     * Claims queued loops for {@code member}, highest priority first, then oldest, skipping loops
     * another node is claiming this instant, those whose {@code after} loops have not all
     * succeeded, and those over this node's limits: at most {@code maxLoops} running on this
     * node, and {@code perType} per type. Each claimed loop moves to running, owned by this
     * incarnation at a raised epoch, with its next iteration marked in progress.
     *
     * @return nothing when the member's lease has ended (it must not run anything)
     */
    public List<Claim> claim(Membership member, int maxLoops, Map<String, Integer> perType) {
        return transaction("claim loops for node " + member.node(),
                c -> LoopClaims.claim(c, member, maxLoops, Map.copyOf(perType)));
    }

    /**
     * Up to {@code limit} queued loops that can never run, because a loop they run {@code after}
     * failed, was cancelled or does not exist.
     */
    public List<BrokenDependency> brokenDependencies(int limit) {
        return transaction("find queued loops whose dependency failed", c -> LoopClaims.broken(c, limit));
    }

    /**
     * Takes over the running loops of every node whose lease has ended, in one transaction: their
     * iterations in progress are recorded {@code interrupted}, the loops go back to the queue at
     * a raised epoch (fencing the old owner) with their state, and the dead nodes are removed.
     * Any live node may call it; the first to lock a dead node's row moves its loops.
     *
     * @return what was taken over, by node
     */
    public List<Takeover> takeOverExpired(Membership by) {
        return transaction("take over expired nodes", c -> Takeovers.run(c, by));
    }

    /**
     * Claims {@code schedule}'s fire at {@code time} for {@code node}: true for the one node whose
     * claim inserted the row, false for every other; when {@code prune}, claims made longer than
     * {@link ScheduleFires#KEPT} ago are deleted first.
     */
    public boolean claimFire(String schedule, Instant time, String node, boolean prune) {
        return transaction("claim the fire of schedule " + schedule + " at " + time,
                c -> ScheduleFires.claim(c, schedule, time, node, prune));
    }

    /** Every node of the cluster and its lease, by name. */
    public List<NodeStatus> nodes() {
        return transaction("list nodes", ClusterRows::nodes);
    }

    /** Loops by state across the cluster, counted now (each node's store counts only its own writes). */
    public Map<LoopState, Long> countsByState() {
        return transaction("count loops by state", LoopQueries::countsByState);
    }

    /** The cluster's newest configuration generation, without its sources; empty before the first publish. */
    public Optional<PublishedGeneration> head() {
        return transaction("read the configuration head", c -> GenerationRows.head(c, false));
    }

    /** Published generation {@code number} with its sources; empty when it was never published or was pruned. */
    public Optional<PublishedGeneration> generation(long number) {
        return transaction("read configuration generation " + number, c -> GenerationRows.generation(c, number));
    }

    /**
     * Publishes a configuration as the cluster's next generation; a no-op returning the head when
     * the head has the same {@code hash}. Keeps the newest {@code keep} generations and those
     * unfinished loops run on.
     *
     * @param base the generation the change was checked against (0: none of the cluster's)
     * @throws HeadMovedException when another node published since {@code base}, or, for base 0, when
     *                            the cluster has a head: nothing was published
     */
    public Publication publish(long base, String hash, String sources, String node, String trigger, String actor,
                               int keep) {
        return transaction("publish a configuration generation",
                c -> GenerationRows.publish(c, base, hash, sources, node, trigger, actor, keep));
    }

    /**
     * Records on the member's row the generation it runs, the last it rejected with why (null
     * for none), and whether it drains.
     *
     * @return false when the member's row is gone (it was taken over, or left)
     */
    public boolean acknowledge(Membership member, long applied, Long rejected, String error, boolean draining) {
        return transaction("acknowledge configuration generation " + applied,
                c -> GenerationRows.acknowledge(c, member, applied, rejected, error, draining));
    }

    @Override
    public void close() {
        pool.close();
    }

    private <T> T transaction(String operation, Reads.Query<T> work) {
        return PooledReads.transaction(pool, operation + " on " + target.display(), work);
    }
}
