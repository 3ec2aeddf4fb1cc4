package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The SQL of the {@code idempotency_keys} table. Times are written with a fixed width (UTC,
 * milliseconds) so that SQLite's text comparison orders them, which the sweep relies on.
 */
final class IdempotencyRows {

    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private IdempotencyRows() {
    }

    /** The key's row when it was created at or after {@code notBefore}: an older one has expired. */
    static Optional<IdempotencyRecord> read(Connection c, String key, Instant notBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, loop_id, created_at FROM idempotency_keys"
                + " WHERE key = ? AND created_at >= ?")) {
            ps.setString(1, key);
            ps.setString(2, FIXED.format(notBefore));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new IdempotencyRecord(key, rs.getString(1), rs.getString(2),
                                Instant.parse(rs.getString(3))))
                        : Optional.empty();
            }
        }
    }

    /** Deletes the keys created before {@code before}; how many. */
    static int sweep(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setString(1, FIXED.format(before));
            return ps.executeUpdate();
        }
    }

    static void insert(Connection c, IdempotencyRecord key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency_keys (key, request_hash, loop_id, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key.key());
            ps.setString(2, key.requestHash());
            ps.setString(3, key.loopId());
            ps.setString(4, FIXED.format(key.createdAt()));
            ps.executeUpdate();
        }
    }
}
