package dev.taskd.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A client of {@code GET /v1/events} (or another stream, such as a loop's output) that parses server-sent events as a browser's EventSource
 * does (fields {@code id}, {@code event}, {@code data}, {@code retry}) and keeps every event it
 * got, in order. Closing it drops the connection.
 */
final class SseClient implements AutoCloseable {

    /** One event; {@code id} is null when the event had none. */
    record Sse(String id, String event, String data) {

        long number() {
            return Long.parseLong(id);
        }
    }

    private final List<Sse> events = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean opened;
    private volatile boolean ended;

    private SseClient(int port, String path, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        Thread.ofVirtual().start(this::read);
    }

    /** Connects and waits until the stream is open. */
    static SseClient open(DaemonProcess daemon, String lastEventId) throws InterruptedException {
        return open(daemon, "/v1/events", lastEventId);
    }

    /** Connects to the stream at {@code path} and waits until it is open. */
    static SseClient open(DaemonProcess daemon, String path, String lastEventId) throws InterruptedException {
        SseClient client = new SseClient(daemon.port, path, lastEventId);
        DaemonProcess.await(Duration.ofSeconds(10), "the event stream to open", () -> client.opened);
        return client;
    }

    private void read() {
        try {
            HttpResponse<Stream<String>> answer = response.get();
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + answer.uri().getPath() + " answered " + answer.statusCode());
            }
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line : (Iterable<String>) answer.body()::iterator) {
                opened = true;
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Sse(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).strip());
                } else if (line.startsWith("retry:")) {
                    retries.add(line.substring(6).strip());
                }
            }
        } catch (Exception e) {
            // The stream ended: closed by the test or by the daemon.
        } finally {
            ended = true;
        }
    }

    /** Whether the stream has ended (the daemon closed it, or the test did). */
    boolean ended() {
        return ended;
    }

    List<Sse> events() {
        return new ArrayList<>(events);
    }

    List<String> retries() {
        return new ArrayList<>(retries);
    }

    /** Waits for an event that matches; the first one. */
    Sse await(Duration limit, String what, Predicate<Sse> match) throws InterruptedException {
        DaemonProcess.await(limit, what, () -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    /** The highest id received so far, or -1. */
    long lastId() {
        return events.stream().filter(e -> e.id() != null).mapToLong(Sse::number).max().orElse(-1);
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(answer -> answer.body().close());
    }
}
