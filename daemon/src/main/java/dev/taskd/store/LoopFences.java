package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Fence}s of the loops this node claimed in a cluster. While a loop's fence is held,
 * every write the store makes for that loop checks it in the write's own transaction, so the
 * loop runner writes as it always does and a write for a loop another node took over changes
 * nothing and fails with {@link LoopFencedException}. A node that lost its lease revokes all its
 * fences at once: their writes then fail without reaching the database. Thread-safe.
 */
public final class LoopFences {

    private final Map<String, Fence> held = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    /** From now on, writes for the fence's loop must match it. */
    public void hold(Fence fence) {
        revoked.remove(fence.loopId());
        held.put(fence.loopId(), fence);
    }

    /** The loop no longer runs here: its writes are plain again. */
    public void release(String loopId) {
        held.remove(loopId);
        revoked.remove(loopId);
    }

    /** The node lost its lease: every loop it holds is refused every further write until released. */
    public void revokeAll() {
        revoked.addAll(held.keySet());
    }

    public Optional<Fence> of(String loopId) {
        return Optional.ofNullable(held.get(loopId));
    }

    /** Called in a write's transaction before the write: refuses it when its loop's fence does not hold. */
    void checkBeforeWrite(Connection c, String loopId, String operation) throws SQLException {
        Fence fence = loopId == null ? null : held.get(loopId);
        if (fence == null) {
            return;
        }
        if (revoked.contains(loopId)) {
            throw new LoopFencedException(fence, operation);
        }
        check(c, fence, operation);
    }

    /**
     * Locks the loop's row and checks it is still running, owned by the fence's node incarnation
     * at the fence's epoch: a takeover raised the epoch, and a cancel or pause asked of another
     * node moved the loop out of running; either way this node must drop it.
     */
    static void check(Connection c, Fence fence, String operation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET epoch = epoch WHERE id = ? AND owner = ?"
                + " AND owner_incarnation = ? AND epoch = ? AND state = 'RUNNING'")) {
            ps.setString(1, fence.loopId());
            ps.setString(2, fence.node());
            ps.setLong(3, fence.incarnation());
            ps.setLong(4, fence.epoch());
            if (ps.executeUpdate() != 1) {
                throw new LoopFencedException(fence, operation);
            }
        }
    }
}
