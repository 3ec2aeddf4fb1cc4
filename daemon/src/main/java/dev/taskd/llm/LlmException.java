package dev.taskd.llm;

/**
 * A chat call that did not produce a reply. The message says what failed and, where there is
 * one, the fix; for a provider's refusal it carries the provider's own message.
 */
public final class LlmException extends Exception {

    /** Why the call failed; an integrator maps these to outcomes (a {@code RATE_LIMITED} call is not a failed iteration). */
    public enum Kind {
        /** No provider, an unknown provider, or a missing key: fix {@code taskd.toml} or the key. */
        NOT_CONFIGURED,
        /** The request itself is wrong (no messages, unknown role); nothing was sent. */
        INVALID_REQUEST,
        /** The provider refused the request (4xx other than 429); not retried. */
        REJECTED,
        /** The provider kept answering 429 beyond the budget of rate-limited attempts. */
        RATE_LIMITED,
        /** 5xx, timeouts, connection errors or malformed replies, beyond the retry budget. */
        UNAVAILABLE,
        /** The call's {@code Cancellation} stopped it (iteration timeout, cancel, pause, drain). */
        CANCELLED,
        /** The loop's {@code max-cost} is spent; nothing was sent. */
        BUDGET_SPENT
    }

    private final Kind kind;
    private final int status;

    public LlmException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    LlmException(Kind kind, String message, int status, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last reply, or 0 when there was none. */
    public int status() {
        return status;
    }
}
