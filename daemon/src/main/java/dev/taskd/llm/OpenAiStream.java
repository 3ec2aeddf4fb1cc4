package dev.taskd.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed Chat Completions reply: {@code data:} chunks whose {@code choices[0].delta} carries
 * text and tool-call pieces (by {@code index}; the id and name come once, the arguments in
 * pieces), then a chunk with {@code usage} (asked for by {@code stream_options.include_usage}),
 * then {@code [DONE]}. A stream without {@code [DONE]} broke off: its usage may be missing.
 */
final class OpenAiStream implements ReplyAssembler {

    private final Route route;
    private final ReplySink sink;
    private final StringBuilder content = new StringBuilder();
    private final Map<Integer, PartialCall> calls = new TreeMap<>();
    private String finishReason = "";
    private Usage usage = Usage.NONE;
    private boolean done;

    private static final class PartialCall {
        String id = "";
        String name = "";
        final StringBuilder arguments = new StringBuilder();
    }

    OpenAiStream(Route route, ReplySink sink) {
        this.route = route;
        this.sink = sink;
    }

    @Override
    public void event(String name, String data) throws MalformedReplyException {
        if (data.strip().equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = ProviderClient.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new MalformedReplyException("a stream chunk is not JSON: " + e.getOriginalMessage());
        }
        if (chunk.has("error")) {
            throw new MalformedReplyException("the stream ended with an error: " + Replies.providerMessage(data));
        }
        if (chunk.path("usage").isObject()) {
            JsonNode counts = chunk.path("usage");
            usage = new Usage(counts.path("prompt_tokens").asLong(), counts.path("completion_tokens").asLong());
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return; // the usage chunk has no choices
        }
        JsonNode delta = choice.path("delta");
        String text = ProviderClient.text(delta.path("content"));
        if (!text.isEmpty()) {
            content.append(text);
            sink.text(text);
        }
        for (JsonNode piece : delta.path("tool_calls")) {
            PartialCall call = calls.computeIfAbsent(piece.path("index").asInt(calls.size()), index -> new PartialCall());
            JsonNode function = piece.path("function");
            call.id = piece.path("id").isTextual() ? piece.path("id").asText() : call.id;
            call.name = function.path("name").isTextual() ? function.path("name").asText() : call.name;
            call.arguments.append(ProviderClient.text(function.path("arguments")));
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
    }

    @Override
    public ChatResponse response() throws MalformedReplyException {
        if (!done) {
            throw new MalformedReplyException("the stream broke off before [DONE], after " + content.length()
                    + " characters of text");
        }
        List<ToolCall> assembled = new ArrayList<>();
        for (PartialCall call : calls.values()) {
            assembled.add(new ToolCall(call.id, call.name,
                    OpenAiClient.parsedArguments(TextNode.valueOf(call.arguments.toString()))));
        }
        return new ChatResponse(content.toString(), assembled, OpenAiClient.stopReason(finishReason), usage,
                route.provider(), route.model());
    }
}
