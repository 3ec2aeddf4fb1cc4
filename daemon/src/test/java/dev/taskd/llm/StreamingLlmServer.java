package dev.taskd.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskd.concurrent.Threads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next scripted event stream,
 * written piece by piece as {@code text/event-stream} and flushed after each piece, so a test can
 * see what the client does with a reply that has not ended yet.
 */
final class StreamingLlmServer implements AutoCloseable {

    /** One step of a scripted reply. */
    sealed interface Step {
    }

    /** Writes {@code text} and flushes it. */
    record Send(String text) implements Step {
    }

    /** Waits, at most {@code limit} and not past {@link #close}, until {@code condition} holds; writes on either way. */
    record Await(BooleanSupplier condition, Duration limit) implements Step {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<List<Step>> script = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private StreamingLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("streaming-llm")));
        server.createContext("/", this::handle);
        server.start();
    }

    static StreamingLlmServer start() throws IOException {
        return new StreamingLlmServer();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues one reply; a reply whose steps end without its end marker is a stream cut there. */
    StreamingLlmServer then(Step... steps) {
        script.add(List.of(steps));
        return this;
    }

    /** A server-sent event with a name, as Anthropic writes them. */
    static Send event(String name, String json) {
        return new Send("event: " + name + "\ndata: " + json + "\n\n");
    }

    /** A server-sent event of data only, as OpenAI writes them. */
    static Send data(String json) {
        return new Send("data: " + json + "\n\n");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            List<Step> steps = script.poll();
            if (steps == null) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (Step step : steps) {
                switch (step) {
                    case Send send -> {
                        out.write(send.text().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    case Await await -> {
                        long end = System.nanoTime() + await.limit().toNanos();
                        while (!closed && !await.condition().getAsBoolean() && System.nanoTime() < end) {
                            Thread.sleep(5);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
    }
}
