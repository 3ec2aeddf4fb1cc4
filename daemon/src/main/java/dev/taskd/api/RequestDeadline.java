package dev.taskd.api;

import dev.taskd.concurrent.Threads;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request stalls after its request line: when the headers do not end
 * within the head deadline, or a body the headers announce (a {@code Content-Length} above 0, or
 * {@code Transfer-Encoding}) has not all arrived within the body deadline after them. Helidon's
 * idle-connection check covers a client stuck before or inside the request line, but not one
 * that trickles headers or stops halfway through them or through its body: its reader would
 * block, holding the socket and a virtual thread, for ever.
 *
 * <p>A body's deadline ends when {@link RequestBodies#receive} has read it, or when the next
 * request line arrives on the connection (Helidon itself consumed the body of a request that was
 * answered without reading it). Thread-safe; one timer thread, shared by all connections and
 * stopped by {@link #close()}.
 */
final class RequestDeadline implements Http1ConnectionListener, AutoCloseable {

    private final Duration head;
    private final Duration body;
    private final ScheduledExecutorService timer = Threads.scheduler("taskd-api-request-deadline");
    /** By connection: Helidon's listener socket id and connection id, which a request also knows. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    RequestDeadline(Duration head, Duration body) {
        this.head = head;
        this.body = body;
    }

    /** The close due for one part of one request; it fires only while it is still the one pending. */
    private final class Pending implements Runnable {

        private final String key;
        private final ConnectionContext connection;
        private volatile ScheduledFuture<?> timeout;

        Pending(String key, ConnectionContext connection) {
            this.key = key;
            this.connection = connection;
        }

        @Override
        public void run() {
            if (pending.remove(key, this)) {
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
        arm(connection, head);
    }

    @Override
    public void headers(ConnectionContext connection, Headers headers) {
        if (headers.contentLength().orElse(0) > 0 || headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            arm(connection, body);
        } else {
            disarm(key(connection.socketId(), connection.childSocketId()));
        }
    }

    /** The body of {@code request} has arrived: its connection is no longer closed for it. */
    void bodyReceived(ServerRequest request) {
        disarm(key(request.serverSocketId(), request.socketId()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void arm(ConnectionContext connection, Duration deadline) {
        String key = key(connection.socketId(), connection.childSocketId());
        Pending close = new Pending(key, connection);
        Pending previous = pending.put(key, close);
        if (previous != null) {
            previous.cancel();
        }
        close.timeout = timer.schedule(close, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm(String key) {
        Pending close = pending.remove(key);
        if (close != null) {
            close.cancel();
        }
    }

    private static String key(String listenerSocket, String connection) {
        return listenerSocket + " " + connection;
    }
}
