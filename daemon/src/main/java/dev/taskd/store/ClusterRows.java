package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the {@code nodes} table. Lease times are the database's {@code now()}, never a node's clock. */
final class ClusterRows {

    /** The database's now as the ISO-8601 text the loop tables hold (Instant.parse reads it). */
    static final String ISO_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    private ClusterRows() {
    }

    static Membership join(Connection c, String node, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT incarnation, lease_until, lease_until > now() FROM nodes WHERE name = ? FOR UPDATE")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long incarnation = rs.getLong(1);
                    if (rs.getBoolean(3)) {
                        throw new NodeNameTakenException(node, incarnation, instant(rs, 2));
                    }
                    // This name's previous incarnation died: hand its loops back before joining anew.
                    Takeovers.moveNode(c, node, incarnation, node);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (name, incarnation, joined_at, renewed_at,"
                + " lease_until) VALUES (?, nextval('node_incarnations'), now(), now(), now() + make_interval(secs => ?))"
                + " ON CONFLICT (name) DO NOTHING RETURNING incarnation, lease_until")) {
            ps.setString(1, node);
            ps.setDouble(2, seconds(lease));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) { // another daemon of this name joined in between
                    throw new NodeNameTakenException(node, -1, Instant.EPOCH);
                }
                return new Membership(node, rs.getLong(1), instant(rs, 2));
            }
        }
    }

    static Boolean renew(Connection c, Membership member, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET renewed_at = now(),"
                + " lease_until = now() + make_interval(secs => ?) WHERE name = ? AND incarnation = ?"
                + " AND lease_until > now()")) {
            ps.setDouble(1, seconds(lease));
            ps.setString(2, member.node());
            ps.setLong(3, member.incarnation());
            return ps.executeUpdate() == 1;
        }
    }

    /** Whether the member's lease is ahead now; holds the node's row (FOR SHARE) until commit. */
    static boolean live(Connection c, Membership member) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM nodes WHERE name = ? AND incarnation = ?"
                + " AND lease_until > now() FOR SHARE")) {
            ps.setString(1, member.node());
            ps.setLong(2, member.incarnation());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static List<NodeStatus> nodes(Connection c) throws SQLException {
        List<NodeStatus> nodes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.name, n.incarnation, n.joined_at, n.renewed_at,"
                + " n.lease_until, n.lease_until > now(), (SELECT count(*) FROM loops l WHERE l.owner = n.name"
                + " AND l.owner_incarnation = n.incarnation AND l.state = 'RUNNING'), n.applied_generation, n.applied_at,"
                + " n.rejected_generation, n.last_error, n.draining FROM nodes n ORDER BY n.name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                nodes.add(new NodeStatus(rs.getString(1), rs.getLong(2), instant(rs, 3), instant(rs, 4),
                        instant(rs, 5), rs.getBoolean(6), rs.getInt(7), (Long) rs.getObject(8, Long.class),
                        rs.getObject(9) == null ? null : instant(rs, 9), (Long) rs.getObject(10, Long.class),
                        rs.getString(11), rs.getBoolean(12)));
            }
        }
        return nodes;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
