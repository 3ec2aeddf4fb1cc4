package dev.taskd.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model server for tests: an OpenAI-compatible {@code /v1/chat/completions} on 127.0.0.1 that
 * answers from a script — tool calls, text, 429 with Retry-After — and remembers every request.
 * It stands in for the LLM provider, not for taskd.
 */
final class ScriptedModel implements AutoCloseable {

    /**
     * One scripted answer: status, extra header, body. A streamed one ({@code pieces} not empty)
     * is written as server-sent events, one piece after the other, waiting for {@link #release}
     * (at most 20 s) after the first.
     */
    record Reply(int status, String retryAfter, String body, List<String> pieces) {
        Reply(int status, String retryAfter, String body) {
            this(status, retryAfter, body, List.of());
        }
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Authorization header of each request, in arrival order ("" when absent). */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long delayMillis;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final HttpServer server;

    ScriptedModel() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                answer(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    private void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = text("(the script has no more replies)");
            }
            if (!reply.pieces().isEmpty()) {
                stream(exchange, reply.pieces());
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void stream(com.sun.net.httpserver.HttpExchange exchange, List<String> pieces) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < pieces.size(); i++) {
                if (i == 1) {
                    try {
                        released.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                out.write(("data: " + pieces.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    /** Lets a streamed reply go on past its first piece. */
    void release() {
        released.countDown();
    }

    /** Every reply waits this long first, so that calls overlap. */
    ScriptedModel slow(long millis) {
        delayMillis = millis;
        return this;
    }

    /** The most requests the server was answering at once. */
    int mostInFlight() {
        return mostInFlight.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    ScriptedModel then(Reply reply) {
        script.add(reply);
        return this;
    }

    static Reply rateLimited(int seconds) {
        return new Reply(429, Integer.toString(seconds), "{\"error\":{\"message\":\"slow down\"}}");
    }

    static Reply text(String content) {
        return new Reply(200, null, """
                {"id":"r","choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":50,"completion_tokens":5}}""".formatted(quote(content)));
    }

    /**
     * A reply streamed as OpenAI does ({@code stream: true}): {@code first}'s text, then, after
     * {@link #release}, {@code rest}'s, the end and the usage (50 in, 5 out).
     */
    static Reply streamed(String first, String rest) {
        return new Reply(200, null, "", List.of(delta(first), delta(rest),
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":5}}", "[DONE]"));
    }

    private static String delta(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "}}]}";
    }

    /** A reply calling one tool; {@code argumentsJson} is the tool's arguments as a JSON object. */
    static Reply toolCall(String id, String tool, String argumentsJson) {
        return new Reply(200, null, """
                {"id":"r","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                  {"id":"%s","type":"function","function":{"name":"%s","arguments":%s}}]},"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":100,"completion_tokens":20}}""".formatted(id, tool, quote(argumentsJson)));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
