package dev.taskd.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed Messages API reply: {@code message_start} (input tokens), content blocks opened by
 * {@code content_block_start} and filled by {@code content_block_delta} ({@code text_delta} for
 * text, {@code input_json_delta} for a tool call's input as JSON text in pieces),
 * {@code message_delta} (stop reason, output tokens so far), then {@code message_stop}. An
 * {@code error} event, or a stream without {@code message_stop}, is a broken reply.
 */
final class AnthropicStream implements ReplyAssembler {

    private final Route route;
    private final ReplySink sink;
    private final StringBuilder content = new StringBuilder();
    private final Map<Integer, ToolBlock> tools = new TreeMap<>();
    private String stopReason = "";
    private long inputTokens;
    private long outputTokens;
    private boolean stopped;

    private record ToolBlock(String id, String name, JsonNode input, StringBuilder json) {
    }

    AnthropicStream(Route route, ReplySink sink) {
        this.route = route;
        this.sink = sink;
    }

    @Override
    public void event(String name, String data) throws MalformedReplyException {
        JsonNode event;
        try {
            event = ProviderClient.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new MalformedReplyException("the data of a '" + name + "' event is not JSON: "
                    + e.getOriginalMessage());
        }
        String type = event.path("type").isTextual() ? event.path("type").asText() : name;
        switch (type) {
            case "message_start" -> usage(event.path("message").path("usage"));
            case "content_block_start" -> {
                JsonNode block = event.path("content_block");
                if (ProviderClient.text(block.path("type")).equals("tool_use")) {
                    tools.put(event.path("index").asInt(), new ToolBlock(ProviderClient.text(block.path("id")),
                            ProviderClient.text(block.path("name")), block.path("input"), new StringBuilder()));
                }
                text(ProviderClient.text(block.path("text")));
            }
            case "content_block_delta" -> {
                JsonNode delta = event.path("delta");
                switch (ProviderClient.text(delta.path("type"))) {
                    case "text_delta" -> text(ProviderClient.text(delta.path("text")));
                    case "input_json_delta" -> {
                        ToolBlock tool = tools.get(event.path("index").asInt());
                        if (tool == null) {
                            throw new MalformedReplyException("input_json_delta for block "
                                    + event.path("index").asInt() + ", which is no tool_use block");
                        }
                        tool.json().append(ProviderClient.text(delta.path("partial_json")));
                    }
                    default -> { } // thinking and other deltas carry nothing a script asked for
                }
            }
            case "message_delta" -> {
                if (event.path("delta").path("stop_reason").isTextual()) {
                    stopReason = event.path("delta").path("stop_reason").asText();
                }
                usage(event.path("usage"));
            }
            case "message_stop" -> stopped = true;
            case "error" -> throw new MalformedReplyException("the stream ended with an error: "
                    + Replies.providerMessage(data));
            default -> { } // ping, content_block_stop
        }
    }

    @Override
    public ChatResponse response() throws MalformedReplyException {
        if (!stopped) {
            throw new MalformedReplyException("the stream broke off before message_stop, after " + content.length()
                    + " characters of text");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (ToolBlock tool : tools.values()) {
            calls.add(new ToolCall(tool.id(), tool.name(), input(tool)));
        }
        return new ChatResponse(content.toString(), calls, AnthropicClient.stopReason(stopReason),
                new Usage(inputTokens, outputTokens), route.provider(), route.model());
    }

    private void text(String text) {
        if (!text.isEmpty()) {
            content.append(text);
            sink.text(text);
        }
    }

    /** Counts are running totals: a later event's replace an earlier one's. */
    private void usage(JsonNode usage) {
        if (usage.path("input_tokens").isNumber()) {
            inputTokens = usage.path("input_tokens").asLong();
        }
        if (usage.path("output_tokens").isNumber()) {
            outputTokens = usage.path("output_tokens").asLong();
        }
    }

    /** The streamed JSON when there was some, else the block's own input; broken JSON as its text. */
    private static JsonNode input(ToolBlock tool) {
        String json = tool.json().toString();
        if (json.isBlank()) {
            return tool.input().isObject() ? tool.input() : ProviderClient.JSON.createObjectNode();
        }
        try {
            return ProviderClient.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(json);
        }
    }
}
