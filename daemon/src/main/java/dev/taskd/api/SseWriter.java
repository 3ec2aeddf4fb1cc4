package dev.taskd.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes {@code text/event-stream} by hand. Helidon's {@code SseSink} has no way to send the
 * {@code retry:} field, which tells a client how long to wait before reconnecting. Each method
 * writes one whole message and flushes it. Fields are written as Helidon wrote them, with no
 * space after the colon ({@code event:reload}). Not thread-safe: one stream, one thread.
 */
final class SseWriter implements AutoCloseable {

    private final OutputStream out;

    SseWriter(ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        this.out = response.outputStream();
    }

    /** A comment, then the reconnection delay: the first thing a client gets. */
    void open(String comment, Duration reconnectDelay) throws IOException {
        write(": " + oneLine(comment) + "\nretry:" + reconnectDelay.toMillis() + "\n\n");
    }

    void comment(String comment) throws IOException {
        write(": " + oneLine(comment) + "\n\n");
    }

    /** One event; every line of {@code data} is a {@code data:} field, so a client reads it back whole. */
    void event(long id, String name, String data) throws IOException {
        event(Long.toString(id), name, data);
    }

    /** As {@link #event(long, String, String)}, with an id that is not a number. */
    void event(String id, String name, String data) throws IOException {
        StringBuilder text = new StringBuilder().append("id:").append(oneLine(id)).append("\nevent:").append(oneLine(name))
                .append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            text.append("data:").append(line).append('\n');
        }
        write(text.append('\n').toString());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\r\n]", " ");
    }
}
