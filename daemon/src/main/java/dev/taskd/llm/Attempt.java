package dev.taskd.llm;

import java.time.Duration;

/** What one request came to, and so what the call does next. */
sealed interface Attempt {

    /** A reply: the call returns it. */
    record Success(ChatResponse response) implements Attempt {
    }

    /** 429: wait {@code retryAfter} and try again, outside the error budget. */
    record RateLimited(Duration retryAfter, String message) implements Attempt {
    }

    /** 5xx, 408, timeout, connection error, malformed reply: back off and try again within the budget. */
    record Retryable(int status, String message, Throwable cause) implements Attempt {
    }

    /** Anything else: the call fails now. */
    record Fatal(int status, String message, Throwable cause) implements Attempt {
    }

    /** The call's cancellation aborted the request on the wire. */
    record Stopped() implements Attempt {
    }
}
