package dev.taskd.llm;

/**
 * Where one call's reply goes as it arrives: each piece of text the model writes, in order,
 * before the call returns. The call's {@link ChatResponse} still holds the whole reply; a sink is
 * for showing it live. Called on an HTTP client thread, never by two threads at once; a sink
 * must not block for long (it holds up the rest of the reply) and what it throws is logged and
 * ignored, so it cannot break the call.
 */
@FunctionalInterface
public interface ReplySink {

    /** Drops everything: a call nobody watches. */
    ReplySink NOWHERE = text -> { };

    /** The next piece of the reply's text; never empty. */
    void text(String delta);

    /**
     * The text given so far belongs to a reply that broke off (a cut stream, a malformed
     * chunk); the call tries again and a new reply follows from its start. Not called when
     * nothing was given.
     *
     * @param why what broke, as the call record says it
     */
    default void discarded(String why) {
    }
}
