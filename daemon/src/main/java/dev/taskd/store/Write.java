package dev.taskd.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One unit of work for the writer thread. Runs on the writer thread inside the batch's
 * transaction, under its own savepoint: throwing undoes this write only.
 */
@FunctionalInterface
interface Write<T> {

    T apply(Connection connection) throws SQLException;
}
