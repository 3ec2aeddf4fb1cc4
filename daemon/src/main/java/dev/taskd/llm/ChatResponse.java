package dev.taskd.llm;

import java.util.List;

/**
 * The model's reply.
 *
 * @param content    the text of the reply; "" when it only called tools
 * @param toolCalls  the tools it called, in order; empty for none
 * @param stopReason why it stopped, the same words for every provider: {@code end},
 *                   {@code tool_calls}, {@code max_tokens}, or the provider's own word for anything else
 * @param provider   the provider's name in {@code taskd.toml}
 * @param model      the model part of {@code provider/model}
 */
public record ChatResponse(String content, List<ToolCall> toolCalls, String stopReason, Usage usage, String provider,
                           String model) {

    public ChatResponse {
        toolCalls = List.copyOf(toolCalls);
    }
}
