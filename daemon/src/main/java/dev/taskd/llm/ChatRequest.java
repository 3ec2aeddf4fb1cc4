package dev.taskd.llm;

import java.util.List;

/**
 * One {@code ctx.llm.chat({...})} call, independent of the provider's wire format. Immutable;
 * null lists become empty.
 *
 * @param model       {@code provider/model} (split at the first slash, so the model part may hold
 *                    more slashes), or null for {@code llm.default}
 * @param system      the system prompt, or null
 * @param messages    the conversation, oldest first; at least one
 * @param tools       tools the model may call; empty for none
 * @param maxTokens   the reply's token limit, or null for the provider's default (4096 for Anthropic,
 *                    which requires one)
 * @param temperature sampling temperature, or null for the provider's default
 */
public record ChatRequest(String model, String system, List<Message> messages, List<Tool> tools, Integer maxTokens,
                          Double temperature) {

    public ChatRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** A request of one user message to {@code model} with no tools. */
    public static ChatRequest of(String model, String userMessage) {
        return new ChatRequest(model, null, List.of(Message.user(userMessage)), List.of(), null, null);
    }
}
