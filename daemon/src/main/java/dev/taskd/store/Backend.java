package dev.taskd.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The dialect seam: what differs between the databases a {@link Store} runs on. Everything else —
 * the tables' meaning, the SQL of each read and write, group commit — is shared, so both backends
 * behave alike. One instance per store; {@link #beginBatch} and {@link #afterFailedRollback} run
 * on the writer thread only.
 */
interface Backend extends AutoCloseable {

    /** Where the store lives, for messages: the database file, or the JDBC URL without secrets. */
    String describe();

    /** Opens the one writing connection, with the schema created or migrated to {@link Schema#VERSION}. */
    Connection openWriter() throws SQLException;

    /** The connections reads run on, beside the writer. */
    Reads reads();

    /**
     * Called before each batch: whether its commit must be durable on disk before it returns
     * ({@code synced}) or may be lost with the machine (but not with the daemon).
     */
    void beginBatch(Connection writer, boolean synced) throws SQLException;

    /**
     * The writer's connection after a rollback failed: the same one, made usable again, or a new
     * one when the old one is gone. Failures to recover are added to {@code cause}.
     */
    Connection afterFailedRollback(Connection writer, Exception cause);

    /** Closes what the backend holds besides the writer's connection (read pools). */
    @Override
    void close();
}
