package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of {@code config_generations} and of the acknowledgement columns of {@code nodes}.
 * Publishes serialize on one advisory transaction lock, so two nodes publishing at once get
 * consecutive numbers and the second sees the first's content as the head.
 */
final class GenerationRows {

    /** Any constant: the advisory lock of publishing ("tgen" in ASCII). */
    private static final long PUBLISH_LOCK = 0x7467656eL;
    private static final String UNFINISHED = Arrays.stream(LoopState.values()).filter(s -> !s.terminal())
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    private static final String COLUMNS = "number, hash, sources, published_by, published_at, trigger, actor";

    private GenerationRows() {
    }

    static Optional<PublishedGeneration> head(Connection c, boolean withSources) throws SQLException {
        return one(c, "SELECT number, hash, " + (withSources ? "sources" : "''")
                + ", published_by, published_at, trigger, actor FROM config_generations ORDER BY number DESC LIMIT 1", -1);
    }

    static Optional<PublishedGeneration> generation(Connection c, long number) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM config_generations WHERE number = ?", number);
    }

    /**
     * Publishes {@code hash}/{@code sources} as the next generation unless the head already has
     * that hash (then the head is returned, nothing written); refuses when the head is another
     * generation than {@code base}. Keeps the newest {@code keep} and those unfinished loops run on.
     *
     * @param base the generation the change was checked against; 0 when the node runs none of the cluster's
     * @throws HeadMovedException when another node published since {@code base} (or any, for base 0)
     */
    static Publication publish(Connection c, long base, String hash, String sources, String node, String trigger,
                               String actor, int keep) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + PUBLISH_LOCK + ")");
        }
        Optional<PublishedGeneration> head = head(c, false);
        if (head.isPresent() && head.get().hash().equals(hash)) {
            return new Publication(head.get().number(), false);
        }
        if (head.isPresent() && head.get().number() != base) {
            throw new HeadMovedException(base, head.get().number(), head.get().publishedBy());
        }
        long number = head.map(PublishedGeneration::number).orElse(0L) + 1;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO config_generations (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, now(), ?, ?)")) {
            ps.setLong(1, number);
            ps.setString(2, hash);
            ps.setString(3, sources);
            ps.setString(4, node);
            ps.setString(5, trigger);
            ps.setString(6, actor);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM config_generations WHERE number <= ?"
                + " AND number NOT IN (SELECT generation FROM loops WHERE state IN (" + UNFINISHED + "))")) {
            ps.setLong(1, number - Math.max(1, keep));
            ps.executeUpdate();
        }
        return new Publication(number, true);
    }

    /** This incarnation's acknowledgement: the generation it runs, the last it rejected and why, whether it drains. */
    static Boolean acknowledge(Connection c, Membership member, long applied, Long rejected, String error,
                               boolean draining) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET applied_at = CASE WHEN applied_generation"
                + " IS DISTINCT FROM ? THEN now() ELSE applied_at END, applied_generation = ?, rejected_generation = ?,"
                + " last_error = ?, draining = ? WHERE name = ? AND incarnation = ?")) {
            ps.setLong(1, applied);
            ps.setLong(2, applied);
            ps.setObject(3, rejected);
            ps.setString(4, error);
            ps.setBoolean(5, draining);
            ps.setString(6, member.node());
            ps.setLong(7, member.incarnation());
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<PublishedGeneration> one(Connection c, String sql, long number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (number >= 0) {
                ps.setLong(1, number);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PublishedGeneration(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), ClusterRows.instant(rs, 5), rs.getString(6), rs.getString(7)));
            }
        }
    }
}
