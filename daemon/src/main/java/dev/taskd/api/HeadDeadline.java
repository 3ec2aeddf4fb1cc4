package dev.taskd.api;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request line arrived but whose headers did not end within the
 * deadline. Helidon's idle-connection check covers a client stuck before or inside the request
 * line, but not one that trickles headers or stops halfway through them: its reader would block,
 * holding the socket, for ever. Thread-safe; one timer thread, shared by all connections and
 * stopped by {@link #close()}.
 */
final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {

    private final Duration deadline;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "taskd-api-head-deadline");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<ConnectionContext, Pending> pending = new ConcurrentHashMap<>();

    HeadDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    /** The close due for one request's head; it fires only while it is still the one pending. */
    private final class Pending implements Runnable {

        private final ConnectionContext connection;
        private volatile ScheduledFuture<?> timeout;

        Pending(ConnectionContext connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            if (pending.remove(connection, this)) {
                connection.serverSocket().close();
            }
        }

        void cancel() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    @Override
    public void prologue(ConnectionContext connection, HttpPrologue prologue) {
        Pending close = new Pending(connection);
        Pending previous = pending.put(connection, close);
        if (previous != null) {
            previous.cancel();
        }
        close.timeout = timer.schedule(close, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void headers(ConnectionContext connection, Headers headers) {
        Pending close = pending.remove(connection);
        if (close != null) {
            close.cancel();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
