package dev.taskd.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Writes {@code text/event-stream} by hand. Helidon's {@code SseSink} has no way to send the
 * {@code retry:} field, which tells a client how long to wait before reconnecting. Each method
 * writes one whole message and flushes it, except {@link #append}, whose run of events one
 * {@link #flush} sends together: at thousands of events a second, a write and a wake-up of the
 * client for each would cost both sides more than the events. Fields are written as Helidon wrote them, with no
 * space after the colon ({@code event:reload}). Not thread-safe: one stream, one thread.
 */
final class SseWriter implements AutoCloseable {

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

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
        append(id, name, data);
        out.flush();
    }

    /** As {@link #event(long, String, String)}, sent at the next {@link #flush} or event. */
    void append(long id, String name, String data) throws IOException {
        append(Long.toString(id), name, data);
    }

    void flush() throws IOException {
        out.flush();
    }

    private void append(String id, String name, String data) throws IOException {
        StringBuilder text = new StringBuilder(data.length() + 64).append("id:").append(oneLine(id)).append("\nevent:")
                .append(oneLine(name)).append('\n');
        if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
            text.append("data:").append(data).append('\n'); // the common case: JSON on one line
        } else {
            for (String line : LINE_BREAK.split(data, -1)) {
                text.append("data:").append(line).append('\n');
            }
        }
        out.write(text.append('\n').toString().getBytes(StandardCharsets.UTF_8));
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
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replaceAll("[\r\n]", " ");
    }
}
