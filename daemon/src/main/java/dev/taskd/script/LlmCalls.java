package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.llm.ChatRequest;
import dev.taskd.llm.ChatResponse;
import dev.taskd.llm.LlmException;
import dev.taskd.llm.ReplySink;

/**
 * What {@code ctx.llm.chat} calls: the daemon's LLM gateway, with the iteration's accounting
 * around it. The reply's text goes to {@code sink} as it streams in, before the call returns.
 */
@FunctionalInterface
public interface LlmCalls {

    ChatResponse chat(ChatRequest request, Cancellation cancellation, ReplySink sink)
            throws LlmException, InterruptedException;

    /** A call whose reply nobody watches as it streams. */
    default ChatResponse chat(ChatRequest request, Cancellation cancellation) throws LlmException, InterruptedException {
        return chat(request, cancellation, ReplySink.NOWHERE);
    }

    /** For iterations with no LLM at hand: every call says so. */
    LlmCalls NONE = (request, cancellation, sink) -> {
        throw new LlmException(LlmException.Kind.NOT_CONFIGURED, "no LLM provider configured");
    };
}
