package dev.taskd.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chat Completions API, spoken by OpenAI and by vLLM, llama.cpp, Ollama and other
 * compatible servers. Tool-call arguments travel as JSON text; {@code max_tokens} is sent rather
 * than {@code max_completion_tokens} because compatible servers know it. Replies are streamed
 * ({@link OpenAiStream}); a server that answers with the whole reply is read as before.
 */
final class OpenAiClient implements ProviderClient {

    @Override
    public String defaultBaseUrl() {
        return "https://api.openai.com/v1";
    }

    @Override
    public String path() {
        return "/chat/completions";
    }

    @Override
    public void authorize(HttpRequest.Builder request, String key) {
        if (!key.isEmpty()) {
            request.header("authorization", "Bearer " + key);
        }
    }

    @Override
    public ObjectNode body(ChatRequest request, String model) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (request.system() != null && !request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        request.messages().forEach(message -> message(messages.addObject(), message));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Tool tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function")
                        .put("name", tool.name()).put("description", tool.description());
                function.set("parameters", tool.parameters() == null
                        ? JSON.createObjectNode().put("type", "object") : tool.parameters());
            }
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        body.put("stream", true).putObject("stream_options").put("include_usage", true);
        return body;
    }

    private static void message(ObjectNode out, Message message) {
        out.put("role", message.role());
        switch (message.role()) {
            case "user" -> out.put("content", message.content());
            case "tool" -> out.put("tool_call_id", message.toolCallId()).put("content", message.content());
            case "assistant" -> {
                out.put("content", message.content());
                if (!message.toolCalls().isEmpty()) {
                    ArrayNode calls = out.putArray("tool_calls");
                    for (ToolCall call : message.toolCalls()) {
                        calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                                .put("name", call.name()).put("arguments", arguments(call.arguments()));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unchecked role '" + message.role() + "'");
        }
    }

    private static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "{}";
        }
        return arguments.isTextual() ? arguments.asText() : arguments.toString();
    }

    @Override
    public ReplyAssembler assembler(Route route, ReplySink sink) {
        return new OpenAiStream(route, sink);
    }

    @Override
    public ChatResponse parse(JsonNode reply, Route route) throws MalformedReplyException {
        JsonNode choice = reply.path("choices").path(0);
        if (!choice.path("message").isObject()) {
            throw new MalformedReplyException("no choices[0].message in the reply");
        }
        JsonNode message = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            calls.add(new ToolCall(ProviderClient.text(call.path("id")), ProviderClient.text(function.path("name")),
                    parsedArguments(function.path("arguments"))));
        }
        JsonNode usage = reply.path("usage");
        return new ChatResponse(ProviderClient.text(message.path("content")), calls,
                stopReason(ProviderClient.text(choice.path("finish_reason"))),
                new Usage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong()),
                route.provider(), route.model());
    }

    /** Arguments are JSON text; a model that writes broken JSON gets its text back as a string. */
    static JsonNode parsedArguments(JsonNode arguments) {
        if (!arguments.isTextual()) {
            return arguments.isMissingNode() ? JSON.createObjectNode() : arguments;
        }
        try {
            return arguments.asText().isBlank() ? JSON.createObjectNode() : JSON.readTree(arguments.asText());
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(arguments.asText());
        }
    }

    static String stopReason(String finishReason) {
        return switch (finishReason) {
            case "stop" -> "end";
            case "tool_calls", "function_call" -> "tool_calls";
            case "length" -> "max_tokens";
            default -> finishReason;
        };
    }
}
