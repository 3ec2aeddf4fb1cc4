package dev.taskd.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a takeover: the running loops of a node whose lease ended go back to the queue in
 * the caller's transaction, each iteration in progress recorded {@code interrupted} as after a
 * crash, each loop's epoch raised so that whatever the old owner still writes for it is refused.
 */
final class Takeovers {

    private Takeovers() {
    }

    static List<Takeover> run(Connection c, Membership by) throws SQLException {
        List<Takeover> done = new ArrayList<>();
        List<Object[]> expired = new ArrayList<>();
        // SKIP LOCKED: a dead node another live node is taking over now is left to it.
        try (PreparedStatement ps = c.prepareStatement("SELECT name, incarnation FROM nodes"
                + " WHERE lease_until <= now() ORDER BY name FOR UPDATE SKIP LOCKED");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                expired.add(new Object[] {rs.getString(1), rs.getLong(2)});
            }
        }
        for (Object[] node : expired) {
            done.add(moveNode(c, (String) node[0], (Long) node[1], by.node()));
        }
        return done;
    }

    /** Hands the node's running loops back to the queue and removes the node; its row must be locked. */
    static Takeover moveNode(Connection c, String node, long incarnation, String by) throws SQLException {
        List<String> loops = new ArrayList<>();
        List<Integer> interrupted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.id, r.number, r.started_at, l.iterations"
                + " FROM loops l LEFT JOIN running_iterations r ON r.loop_id = l.id WHERE l.owner = ?"
                + " AND l.owner_incarnation = ? AND l.state = 'RUNNING' ORDER BY l.id FOR UPDATE OF l")) {
            ps.setString(1, node);
            ps.setLong(2, incarnation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    loops.add(id);
                    int number = rs.getInt(2);
                    if (!rs.wasNull() && number > rs.getInt(4)) {
                        recordInterrupted(c, id, number, rs.getString(3), node, by);
                        interrupted.add(number);
                    }
                }
            }
        }
        if (!loops.isEmpty()) {
            Array ids = c.createArrayOf("text", loops.toArray());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM running_iterations WHERE loop_id = ANY (?)")) {
                ps.setArray(1, ids);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET state = 'QUEUED', owner = NULL,"
                    + " owner_incarnation = NULL, epoch = epoch + 1, updated_at = " + ClusterRows.ISO_NOW
                    + " WHERE id = ANY (?)")) {
                ps.setArray(1, ids);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE name = ? AND incarnation = ?")) {
            ps.setString(1, node);
            ps.setLong(2, incarnation);
            ps.executeUpdate();
        }
        return new Takeover(node, incarnation, loops, interrupted);
    }

    private static void recordInterrupted(Connection c, String loopId, int number, String startedAt, String node,
                                          String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iterations (" + Rows.ITERATION_COLUMNS + ")"
                + " VALUES (?, ?, ?, " + ClusterRows.ISO_NOW + ", 'INTERRUPTED', NULL, NULL, 0, 0, 0, ?, 0)"
                + " ON CONFLICT ON CONSTRAINT iteration_once DO NOTHING")) {
            ps.setString(1, loopId);
            ps.setInt(2, number);
            ps.setString(3, startedAt);
            ps.setString(4, "cut off: node " + node + " lost its lease during this iteration; taken over by " + by);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET iterations = ? WHERE id = ?")) {
            ps.setInt(1, number);
            ps.setString(2, loopId);
            ps.executeUpdate();
        }
    }
}
