package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SQL of claiming queued loops: one transaction per claim, rows locked with SKIP LOCKED. */
final class LoopClaims {

    /**
     * Candidates read per free place: some may be over their type's limit, and are then left for
     * the next claim (or another node) rather than read again here.
     */
    private static final int CANDIDATES_PER_PLACE = 4;

    private LoopClaims() {
    }

    static List<Claim> claim(Connection c, Membership member, int maxLoops, Map<String, Integer> perType)
            throws SQLException {
        if (!ClusterRows.live(c, member)) {
            return List.of();
        }
        Map<String, Integer> runningByType = runningByType(c, member);
        int running = runningByType.values().stream().mapToInt(Integer::intValue).sum();
        int free = maxLoops - running;
        if (free <= 0) {
            return List.of();
        }
        List<Claim> claimed = new ArrayList<>();
        for (String[] candidate : candidates(c, free * CANDIDATES_PER_PLACE)) {
            String id = candidate[0];
            String type = candidate[1];
            int ofType = runningByType.getOrDefault(type, 0);
            if (perType.containsKey(type) && ofType >= perType.get(type)) {
                continue;
            }
            claimed.add(take(c, member, id, type));
            runningByType.put(type, ofType + 1);
            if (claimed.size() == free) {
                break;
            }
        }
        return claimed;
    }

    private static Map<String, Integer> runningByType(Connection c, Membership member) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT type, count(*) FROM loops WHERE owner = ?"
                + " AND owner_incarnation = ? AND state = 'RUNNING' GROUP BY type")) {
            ps.setString(1, member.node());
            ps.setLong(2, member.incarnation());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return counts;
    }

    /**
     * Queued loops whose {@code after} loops have all succeeded, by priority then age, locked;
     * rows another transaction holds are skipped, not waited for. A loop whose {@code after} loop
     * failed or was cancelled is never a candidate: the scheduler fails it ({@link #broken}).
     */
    private static List<String[]> candidates(Connection c, int limit) throws SQLException {
        List<String[]> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.id, l.type FROM loops l WHERE l.state = 'QUEUED'"
                + " AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(l.after::jsonb) AS d(id)"
                + " WHERE NOT EXISTS (SELECT 1 FROM loops p WHERE p.id = d.id COLLATE \"C\" AND p.state = 'SUCCEEDED'))"
                + " ORDER BY l.priority DESC, l.id LIMIT ? FOR UPDATE OF l SKIP LOCKED")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return found;
    }

    /**
     * Up to {@code limit} queued loops with a dependency that failed, was cancelled or does not
     * exist, each with the first such dependency, oldest first. Read without locks: failing them
     * is a conditional state move, which one node makes and any other finds already made.
     */
    static List<BrokenDependency> broken(Connection c, int limit) throws SQLException {
        List<BrokenDependency> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (l.id) l.id, d.id, p.state FROM loops l"
                + " CROSS JOIN LATERAL jsonb_array_elements_text(l.after::jsonb) WITH ORDINALITY AS d(id, n)"
                + " LEFT JOIN loops p ON p.id = d.id COLLATE \"C\" WHERE l.state = 'QUEUED' AND l.after <> '[]'"
                + " AND (p.id IS NULL OR p.state IN ('FAILED', 'CANCELLED')) ORDER BY l.id, d.n LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(3);
                    found.add(new BrokenDependency(rs.getString(1), rs.getString(2),
                            state == null ? null : LoopState.valueOf(state)));
                }
            }
        }
        return found;
    }

    /** Moves one locked queued loop to running on the member at a raised epoch, marking its next iteration. */
    private static Claim take(Connection c, Membership member, String id, String type) throws SQLException {
        long epoch;
        int next;
        try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET state = 'RUNNING', reason = NULL, owner = ?,"
                + " owner_incarnation = ?, epoch = epoch + 1, updated_at = " + ClusterRows.ISO_NOW
                + " WHERE id = ? RETURNING epoch, iterations")) {
            ps.setString(1, member.node());
            ps.setLong(2, member.incarnation());
            ps.setString(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                epoch = rs.getLong(1);
                next = rs.getInt(2) + 1;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO running_iterations (loop_id, number, started_at)"
                + " VALUES (?, ?, " + ClusterRows.ISO_NOW + ") ON CONFLICT (loop_id) DO UPDATE SET number ="
                + " excluded.number, started_at = excluded.started_at, pgid = NULL, pgid_start = NULL, cgroup = NULL")) {
            ps.setString(1, id);
            ps.setInt(2, next);
            ps.executeUpdate();
        }
        return new Claim(id, type, epoch, next);
    }
}
