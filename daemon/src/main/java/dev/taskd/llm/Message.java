package dev.taskd.llm;

import java.util.List;

/**
 * One turn of a conversation.
 *
 * @param role       {@code user}, {@code assistant} or {@code tool}
 * @param content    the text; for a {@code tool} message, the tool's result
 * @param toolCalls  the calls an {@code assistant} turn made; empty otherwise
 * @param toolCallId for a {@code tool} message, the id of the call it answers; null otherwise
 */
public record Message(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public Message {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static Message user(String content) {
        return new Message("user", content, List.of(), null);
    }

    public static Message assistant(String content, List<ToolCall> toolCalls) {
        return new Message("assistant", content, toolCalls, null);
    }

    public static Message toolResult(String toolCallId, String content) {
        return new Message("tool", content, List.of(), toolCallId);
    }
}
