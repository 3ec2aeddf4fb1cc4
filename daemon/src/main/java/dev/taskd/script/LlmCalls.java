package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.llm.ChatRequest;
import dev.taskd.llm.ChatResponse;
import dev.taskd.llm.LlmException;

/** What {@code ctx.llm.chat} calls: the daemon's LLM gateway, with the iteration's accounting around it. */
@FunctionalInterface
public interface LlmCalls {

    ChatResponse chat(ChatRequest request, Cancellation cancellation) throws LlmException, InterruptedException;

    /** For iterations with no LLM at hand: every call says so. */
    LlmCalls NONE = (request, cancellation) -> {
        throw new LlmException(LlmException.Kind.NOT_CONFIGURED, "no LLM provider configured");
    };
}
