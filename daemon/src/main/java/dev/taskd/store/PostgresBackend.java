package dev.taskd.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * PostgreSQL, shared by the daemons of a cluster: the writer holds one connection of its own
 * (group commit needs one session), reads borrow from a small HikariCP pool.
 *
 * <p>An unsynced batch commits with {@code synchronous_commit = off} for that transaction only
 * ({@code SET LOCAL}), as SQLite's batches do with {@code synchronous=OFF}: a crash of the daemon
 * loses nothing, a crash of the database server may lose the last such commits.
 */
final class PostgresBackend implements Backend {

    private static final int READ_POOL_SIZE = 4;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final PostgresTarget target;
    private final HikariDataSource pool;
    private final PooledReads reads;

    /** Several nodes of a cluster open the same database, each with a backend of its own. */
    PostgresBackend(PostgresTarget target) {
        this.target = target;
        HikariConfig config = target.pool("taskd-reads");
        config.setMaximumPoolSize(READ_POOL_SIZE);
        config.setMinimumIdle(0);
        config.setAutoCommit(false);
        config.setReadOnly(true);
        config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
        // Connections are made on first use: a database that is down at open fails openWriter,
        // which names the URL, not the pool's start.
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.reads = new PooledReads(pool);
    }

    @Override
    public String describe() {
        return target.display();
    }

    @Override
    public Connection openWriter() throws SQLException {
        Connection c = connect();
        try {
            PostgresSchema.migrate(c, describe());
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException close) {
                e.addSuppressed(close);
            }
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!target.user().isEmpty()) {
            properties.setProperty("user", target.user());
        }
        if (!target.password().isEmpty()) {
            properties.setProperty("password", target.password());
        }
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "taskd");
        return DriverManager.getConnection(target.url(), properties);
    }

    @Override
    public Reads reads() {
        return reads;
    }

    @Override
    public void beginBatch(Connection writer, boolean synced) throws SQLException {
        if (!synced) {
            try (Statement s = writer.createStatement()) {
                s.execute("SET LOCAL synchronous_commit = off");
            }
        }
    }

    /**
     * A rollback fails on PostgreSQL when the connection is gone (server restart, network): the
     * transaction died with it, so a new connection is opened; when that fails too, the old one
     * is kept and the next batch fails again and retries.
     */
    @Override
    public Connection afterFailedRollback(Connection writer, Exception cause) {
        try {
            if (writer.isValid(1)) {
                return writer;
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        Connection fresh = null;
        try {
            fresh = connect();
            fresh.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            Rows.closeQuietly(fresh, cause);
            return writer;
        }
        Rows.closeQuietly(writer, cause);
        return fresh;
    }

    @Override
    public void close() {
        reads.close();
    }
}
