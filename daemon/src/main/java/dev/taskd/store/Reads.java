package dev.taskd.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs read-only queries on connections of its own, beside the writer. Thread-safe. */
interface Reads {

    /** Runs a query; a SQLException becomes a StoreException naming {@code operation}. */
    <T> T read(String operation, Query<T> query);

    /** Closes idle connections; later reads fail with "store is closed". */
    void close();

    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }
}
