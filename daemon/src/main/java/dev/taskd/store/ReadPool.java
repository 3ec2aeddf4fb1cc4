package dev.taskd.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Read-only connections, opened on demand and kept up to {@link #MAX_IDLE}. Readers never wait
 * for each other or for the writer: in WAL mode each read sees the last commit before it began.
 * Thread-safe.
 */
final class ReadPool implements Reads {

    private static final int MAX_IDLE = 4;

    private final Path db;
    private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    ReadPool(Path db) {
        this.db = db;
    }

    @Override
    public <T> T read(String operation, Query<T> query) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        Connection c = null;
        try {
            c = idle.poll();
            if (c == null) {
                c = Schema.openReader(db);
            }
            T result = query.run(c);
            release(c);
            return result;
        } catch (SQLException e) {
            // A connection that failed may be in any state; drop it rather than reuse it.
            discard(c, e);
            throw new StoreException(operation + ": " + e.getMessage(), e);
        }
    }

    /** Closes idle connections; connections in use are closed when their read ends. */
    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            discard(c, null);
        }
    }

    private void release(Connection c) {
        if (closed || idle.size() >= MAX_IDLE) {
            discard(c, null);
        } else {
            idle.add(c);
            if (closed && idle.remove(c)) { // close() ran between the check and the add
                discard(c, null);
            }
        }
    }

    private static void discard(Connection c, Exception failure) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
