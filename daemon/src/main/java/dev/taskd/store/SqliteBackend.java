package dev.taskd.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite in WAL mode, one file: the embedded default for one node. */
final class SqliteBackend implements Backend {

    private final Path db;
    private final ReadPool reads;
    private boolean syncing = true; // the writer connection's synchronous setting; writer thread only

    SqliteBackend(Path db) {
        this.db = db;
        this.reads = new ReadPool(db);
    }

    @Override
    public String describe() {
        return db.toString();
    }

    @Override
    public Connection openWriter() throws SQLException {
        return Schema.openWriter(db);
    }

    @Override
    public Reads reads() {
        return reads;
    }

    /**
     * Sets whether commits sync when it changes: SQLite refuses to change it inside a
     * transaction, and the driver keeps one open between commits, so it is ended first (it is
     * empty: nothing ran since the last commit or rollback). A failure fails the batch, whose
     * next attempt sets it again.
     */
    @Override
    public void beginBatch(Connection writer, boolean synced) throws SQLException {
        if (synced == syncing) {
            return;
        }
        writer.setAutoCommit(true);
        try (Statement pragma = writer.createStatement()) {
            pragma.execute(synced ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
            syncing = synced;
        } finally {
            writer.setAutoCommit(false);
        }
    }

    /**
     * SQLite ends a transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR): then the
     * driver's rollback fails and does not begin the next one, and without a BEGIN here every
     * later write would commit on its own.
     */
    @Override
    public Connection afterFailedRollback(Connection writer, Exception cause) {
        try (Statement begin = writer.createStatement()) {
            begin.execute("BEGIN");
        } catch (SQLException again) {
            if (!String.valueOf(again.getMessage()).contains("within a transaction")) {
                cause.addSuppressed(again);
            }
        }
        return writer;
    }

    @Override
    public void close() {
        reads.close();
    }
}
