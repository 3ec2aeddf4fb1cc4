package dev.taskd.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The cluster's audit log on PostgreSQL: the table {@code audit_log}, one row per entry, every
 * node appending to the one chain. A row keeps the entry's JSON text exactly as its hash was
 * taken, so an export of the {@code entry} column in {@code seq} order is the file a single
 * daemon would have written.
 *
 * <p>What the chain means (the line's fields, its hash) is the caller's: this class only places
 * rows. Each append is one transaction that takes an advisory transaction lock, so appends from
 * every node queue one behind the other; under it the last row is read (its {@code seq} and
 * {@code hash}), the database's clock read, the row made by the caller and inserted. The lock
 * ends with the commit or rollback, so a node that dies mid-append leaves nothing behind and
 * holds nothing. Thread-safe.
 */
public final class AuditTable implements AutoCloseable {

    /** Any constant other than the migration lock's: "audit" in ASCII. */
    private static final long APPEND_LOCK = 0x6175646974L;
    private static final int POOL_SIZE = 2;
    private static final int FETCH_SIZE = 500;

    /**
     * One entry as stored.
     *
     * @param seq   1 for the first entry, then one more per entry, with no gap
     * @param ts    when it was appended, by the database's clock
     * @param node  {@code daemon.node} of the node that appended it
     * @param kind  what it records: {@code reload}, ...
     * @param entry the entry's JSON text, whose UTF-8 bytes the chain hashes
     * @param prev  the previous entry's hash, 64 zeros for the first
     * @param hash  SHA-256 of {@code entry}: the next entry's {@code prev}
     */
    public record Row(long seq, Instant ts, String node, String kind, String entry, String prev, String hash) {

        public Row {
            Objects.requireNonNull(ts, "ts");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(prev, "prev");
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** Makes the row to append from where it goes; called under the append lock, once per append. */
    @FunctionalInterface
    public interface NextRow {

        /**
         * @param seq  the row's seq: the last row's plus one, or 1
         * @param ts   the database's clock now
         * @param prev the last row's hash, or {@code first} when the table is empty
         */
        Row make(long seq, Instant ts, String prev);
    }

    private final PostgresTarget target;
    private final HikariDataSource pool;

    private AuditTable(PostgresTarget target, HikariDataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    /** Connects to the database of {@code target}, whose tables a {@link Store} opened on it has created. */
    public static AuditTable open(PostgresTarget target) {
        HikariConfig config = target.pool("taskd-audit");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        // A reload waits for its audit entry; a database gone away fails it rather than hang it.
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setInitializationFailTimeout(-1);
        return new AuditTable(target, new HikariDataSource(config));
    }

    /**
     * Appends the row {@code next} makes, after every row committed before, in one transaction.
     *
     * @param first the {@code prev} of the first row
     * @return the row as inserted
     * @throws StoreException when the database refuses or cannot be reached; nothing was appended
     */
    public Row append(String first, NextRow next) {
        return PooledReads.transaction(pool, "append to audit_log on " + target.display(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
            }
            long seq = 1;
            String prev = first;
            // Read committed: this statement's snapshot begins after the lock was granted, so it
            // sees the row of whichever append held the lock before.
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    prev = rs.getString(2);
                }
            }
            Row row = next.make(seq, now(c), prev);
            if (row.seq() != seq || !row.prev().equals(prev)) {
                throw new IllegalArgumentException("the row made for seq " + seq + " is for seq " + row.seq()
                        + " after " + row.prev());
            }
            insert(c, row);
            return row;
        });
    }

    /**
     * Hands the rows with {@code seq} above {@code after} to {@code each} in seq order, until it
     * returns false or the rows end; one snapshot, read in batches.
     *
     * @throws StoreException when the database cannot be read
     */
    public void scan(long after, Predicate<Row> each) {
        PooledReads.transaction(pool, "read audit_log on " + target.display(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, ts, node, kind, entry, prev, hash"
                    + " FROM audit_log WHERE seq > ? ORDER BY seq")) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row row = new Row(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7));
                        if (!each.test(row)) {
                            break;
                        }
                    }
                }
            }
            return null;
        });
    }

    /** Where the log is, for messages: {@code audit_log on jdbc:postgresql://…}. */
    public String display() {
        return "audit_log on " + target.display();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static Instant now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private static void insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (seq, ts, node, kind, entry, prev, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, row.seq());
            ps.setObject(2, OffsetDateTime.ofInstant(row.ts(), ZoneOffset.UTC));
            ps.setString(3, row.node());
            ps.setString(4, row.kind());
            ps.setString(5, row.entry());
            ps.setString(6, row.prev());
            ps.setString(7, row.hash());
            ps.executeUpdate();
        }
    }
}
