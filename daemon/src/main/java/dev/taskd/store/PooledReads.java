package dev.taskd.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads on HikariCP's pool of PostgreSQL connections, each in a read-only transaction of its
 * own, so it sees one snapshot and never holds a connection longer than its query. Thread-safe.
 */
final class PooledReads implements Reads {

    private final HikariDataSource pool;

    PooledReads(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public <T> T read(String operation, Query<T> query) {
        if (pool.isClosed()) {
            throw new StoreException("store is closed");
        }
        return transaction(pool, operation, query);
    }

    /**
     * Runs {@code work} in one transaction on a connection of {@code pool}: committed when it
     * returns, rolled back when it throws; a SQLException becomes a StoreException naming {@code operation}.
     */
    static <T> T transaction(HikariDataSource pool, String operation, Query<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(operation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
