package dev.taskd.llm;

/**
 * Builds one streamed reply from its server-sent events, handing each text delta to the call's
 * {@link ReplySink} as it comes. One per request; used by one thread at a time.
 */
interface ReplyAssembler {

    /**
     * One event: {@code name} is its {@code event:} field ({@code message} when it had none).
     *
     * @throws MalformedReplyException when the event is not what the provider's API promises, or
     *                                 is the provider's error event
     */
    void event(String name, String data) throws MalformedReplyException;

    /**
     * The reply, once the stream has ended.
     *
     * @throws MalformedReplyException when the stream ended before the reply did
     */
    ChatResponse response() throws MalformedReplyException;
}
