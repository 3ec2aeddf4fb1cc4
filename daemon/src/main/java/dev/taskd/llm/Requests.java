package dev.taskd.llm;

import java.util.Set;

/** Checks a request before anything is sent, so a script's mistake is not retried or billed. */
final class Requests {

    private static final Set<String> ROLES = Set.of("user", "assistant", "tool");

    private Requests() {
    }

    static void check(ChatRequest request) throws LlmException {
        if (request.messages().isEmpty()) {
            throw invalid("messages is empty: give at least one {role: 'user', content: '...'}");
        }
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            if (message == null || !ROLES.contains(message.role())) {
                throw invalid("messages[" + i + "].role is '" + (message == null ? null : message.role())
                        + "': use 'user', 'assistant' or 'tool' (the system prompt goes in 'system')");
            }
            if (message.role().equals("tool") && (message.toolCallId() == null || message.toolCallId().isEmpty())) {
                throw invalid("messages[" + i + "] has role 'tool' but no toolCallId: give the id of the call it answers");
            }
        }
        for (int i = 0; i < request.tools().size(); i++) {
            Tool tool = request.tools().get(i);
            if (tool == null || tool.name() == null || tool.name().isEmpty()) {
                throw invalid("tools[" + i + "] has no name");
            }
        }
    }

    private static LlmException invalid(String message) {
        return new LlmException(LlmException.Kind.INVALID_REQUEST, message);
    }
}
