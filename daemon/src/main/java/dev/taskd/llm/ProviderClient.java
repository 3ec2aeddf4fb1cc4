package dev.taskd.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One provider's wire format: how a {@link ChatRequest} is written and a reply read. Stateless
 * and thread-safe. Requests ask for a streamed reply, read as it arrives by the provider's
 * {@link ReplyAssembler}, so a call's text can be shown token by token; a server that answers
 * with the whole reply anyway is read by {@link #parse}. The request timeout bounds the wait for
 * the reply to start; the call's cancellation bounds the rest.
 */
sealed interface ProviderClient permits OpenAiClient, AnthropicClient {

    ObjectMapper JSON = new ObjectMapper();

    /** The client for a provider's {@code kind}. */
    static ProviderClient of(String kind) throws LlmException {
        return switch (kind) {
            case "openai" -> new OpenAiClient();
            case "anthropic" -> new AnthropicClient();
            default -> throw new LlmException(LlmException.Kind.NOT_CONFIGURED,
                    "unknown LLM provider kind '" + kind + "': use \"openai\" or \"anthropic\"");
        };
    }

    /** The public endpoint, used when {@code base-url} is empty. */
    String defaultBaseUrl();

    /** The path of the chat resource below the base URL. */
    String path();

    /** The JSON body of {@code request}; its messages have been checked by {@link Requests#check}. */
    ObjectNode body(ChatRequest request, String model);

    /** Adds the key's header; adds nothing when {@code key} is "". */
    void authorize(HttpRequest.Builder request, String key);

    /** Reads a streamed reply, handing its text to {@code sink} as it comes. */
    ReplyAssembler assembler(Route route, ReplySink sink);

    /** Reads a 2xx reply sent whole. */
    ChatResponse parse(JsonNode reply, Route route) throws MalformedReplyException;

    /** The HTTP request of one call; built once per call and re-sent unchanged on retries. */
    default HttpRequest request(Route route, ChatRequest request, Duration timeout) {
        String body;
        try {
            body = JSON.writeValueAsString(body(request, route.model()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(route.endpoint()).timeout(timeout)
                .header("content-type", "application/json").header("accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        authorize(builder, route.key());
        return builder.build();
    }

    /** The text of a field, or "" when it is missing or not text. */
    static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : "";
    }
}
