package dev.taskd.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that speaks both wire protocols ({@code /v1/chat/completions}
 * as OpenAI, {@code /v1/messages} as Anthropic), records every request and answers from a queue
 * of scripted replies, then from {@link #otherwise}. Tracks the most requests in flight at once.
 */
final class ScriptedLlmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer, written in whichever protocol the request used. */
    sealed interface Reply {
    }

    record Text(String content, long input, long output) implements Reply {
    }

    record ToolUse(String id, String name, String argumentsJson) implements Reply {
    }

    record Status(int status, Map<String, String> headers, String body) implements Reply {
    }

    record Slow(Duration delay, Reply then) implements Reply {
    }

    record Malformed() implements Reply {
    }

    /** One request as received; header names lower-cased. */
    record Recorded(String path, Map<String, String> headers, JsonNode body) {
    }

    static Reply text(String content) {
        return new Text(content, 11, 7);
    }

    static Reply toolUse(String id, String name, String argumentsJson) {
        return new ToolUse(id, name, argumentsJson);
    }

    static Reply rateLimited(String retryAfter) {
        return new Status(429, Map.of("Retry-After", retryAfter), error("rate limit reached"));
    }

    static Reply status(int status, String message) {
        return new Status(status, Map.of(), error(message));
    }

    static Reply slow(Duration delay, Reply then) {
        return new Slow(delay, then);
    }

    static Reply malformed() {
        return new Malformed();
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Reply otherwise = status(500, "no scripted reply left");

    private ScriptedLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("scripted-llm")));
        server.createContext("/", this::handle);
        server.start();
    }

    static ScriptedLlmServer start() throws IOException {
        return new ScriptedLlmServer();
    }

    /** The base URL to configure as a provider's {@code base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    ScriptedLlmServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    void otherwise(Reply reply) {
        otherwise = reply;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(path, headers, JSON.readTree(body)));
            Reply reply = script.poll();
            reply = reply == null ? otherwise : reply;
            while (reply instanceof Slow slow) {
                if (closed.await(slow.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                reply = slow.then();
            }
            // counted out before the reply is written, so a client that has its reply is never still counted here
            inFlight.decrementAndGet();
            counted = false;
            respond(exchange, reply, path.endsWith("/messages"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    private static void respond(HttpExchange exchange, Reply reply, boolean anthropic) throws IOException {
        int status = 200;
        String body = switch (reply) {
            case Text text -> anthropic ? anthropicText(text) : openAiText(text);
            case ToolUse use -> anthropic ? anthropicToolUse(use) : openAiToolUse(use);
            case Status scripted -> {
                status = scripted.status();
                scripted.headers().forEach(exchange.getResponseHeaders()::add);
                yield scripted.body();
            }
            case Malformed malformed -> "{\"choices\": [ this is not JSON";
            case Slow slow -> throw new IllegalStateException("unwrapped before");
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String openAiText(Text text) {
        ObjectNode reply = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
        ObjectNode choice = reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", text.content());
        reply.putObject("usage").put("prompt_tokens", text.input()).put("completion_tokens", text.output());
        return reply.toString();
    }

    private static String openAiToolUse(ToolUse use) {
        ObjectNode reply = JSON.createObjectNode().put("id", "chatcmpl-2");
        ObjectNode choice = reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
        ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
        message.putArray("tool_calls").addObject().put("id", use.id()).put("type", "function")
                .putObject("function").put("name", use.name()).put("arguments", use.argumentsJson());
        reply.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 5);
        return reply.toString();
    }

    private static String anthropicText(Text text) {
        ObjectNode reply = JSON.createObjectNode().put("id", "msg_1").put("type", "message").put("role", "assistant")
                .put("stop_reason", "end_turn");
        reply.putArray("content").addObject().put("type", "text").put("text", text.content());
        reply.putObject("usage").put("input_tokens", text.input()).put("output_tokens", text.output());
        return reply.toString();
    }

    private static String anthropicToolUse(ToolUse use) throws IOException {
        ObjectNode reply = JSON.createObjectNode().put("id", "msg_2").put("type", "message").put("role", "assistant")
                .put("stop_reason", "tool_use");
        var content = reply.putArray("content");
        content.addObject().put("type", "text").put("text", "Let me look.");
        content.addObject().put("type", "tool_use").put("id", use.id()).put("name", use.name())
                .set("input", JSON.readTree(use.argumentsJson()));
        reply.putObject("usage").put("input_tokens", 20).put("output_tokens", 5);
        return reply.toString();
    }

    private static String error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("type", "api_error").put("message", message);
        return body.toString();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
