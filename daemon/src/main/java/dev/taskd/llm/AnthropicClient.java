package dev.taskd.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Anthropic Messages API. The system prompt is a top-level field; tool results travel as
 * {@code tool_result} blocks of a {@code user} message; consecutive messages that map to the same
 * role are merged into one, so parallel tool results share one message as the API requires.
 * Replies are streamed ({@link AnthropicStream}); a reply sent whole is read as before.
 */
final class AnthropicClient implements ProviderClient {

    static final int DEFAULT_MAX_TOKENS = 4096;
    static final String VERSION = "2023-06-01";

    @Override
    public String defaultBaseUrl() {
        return "https://api.anthropic.com/v1";
    }

    @Override
    public String path() {
        return "/messages";
    }

    @Override
    public void authorize(HttpRequest.Builder request, String key) {
        request.header("anthropic-version", VERSION);
        if (!key.isEmpty()) {
            request.header("x-api-key", key);
        }
    }

    @Override
    public ObjectNode body(ChatRequest request, String model) {
        ObjectNode body = JSON.createObjectNode().put("model", model)
                .put("max_tokens", request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens());
        if (request.system() != null && !request.system().isEmpty()) {
            body.put("system", request.system());
        }
        ArrayNode messages = body.putArray("messages");
        for (Message message : request.messages()) {
            String role = message.role().equals("assistant") ? "assistant" : "user";
            JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
            ArrayNode blocks = last != null && last.path("role").asText().equals(role)
                    ? (ArrayNode) last.get("content")
                    : messages.addObject().put("role", role).putArray("content");
            blocks(blocks, message);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Tool tool : request.tools()) {
                tools.addObject().put("name", tool.name()).put("description", tool.description())
                        .set("input_schema", tool.parameters() == null
                                ? JSON.createObjectNode().put("type", "object") : tool.parameters());
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        return body.put("stream", true);
    }

    private static void blocks(ArrayNode blocks, Message message) {
        String content = message.content() == null ? "" : message.content();
        switch (message.role()) {
            case "user" -> blocks.addObject().put("type", "text").put("text", content);
            case "tool" -> blocks.addObject().put("type", "tool_result").put("tool_use_id", message.toolCallId())
                    .put("content", content);
            case "assistant" -> {
                if (!content.isEmpty()) {
                    blocks.addObject().put("type", "text").put("text", content);
                }
                for (ToolCall call : message.toolCalls()) {
                    blocks.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                            .set("input", call.arguments() == null ? JSON.createObjectNode() : call.arguments());
                }
            }
            default -> throw new IllegalArgumentException("unchecked role '" + message.role() + "'");
        }
    }

    @Override
    public ReplyAssembler assembler(Route route, ReplySink sink) {
        return new AnthropicStream(route, sink);
    }

    @Override
    public ChatResponse parse(JsonNode reply, Route route) throws MalformedReplyException {
        if (!reply.path("content").isArray()) {
            throw new MalformedReplyException("no content[] in the reply");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : reply.path("content")) {
            switch (ProviderClient.text(block.path("type"))) {
                case "text" -> text.append(ProviderClient.text(block.path("text")));
                case "tool_use" -> calls.add(new ToolCall(ProviderClient.text(block.path("id")),
                        ProviderClient.text(block.path("name")),
                        block.path("input").isMissingNode() ? JSON.createObjectNode() : block.path("input")));
                default -> { } // thinking and other blocks carry nothing a script asked for
            }
        }
        JsonNode usage = reply.path("usage");
        return new ChatResponse(text.toString(), calls, stopReason(ProviderClient.text(reply.path("stop_reason"))),
                new Usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong()),
                route.provider(), route.model());
    }

    static String stopReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "end";
            case "tool_use" -> "tool_calls";
            default -> stopReason;
        };
    }
}
