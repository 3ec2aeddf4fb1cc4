package dev.taskd.llm;

import java.time.Duration;

/**
 * One attempt of a chat call, as told to the gateway's listener: one record per request sent.
 * A call that is retried gives several records with rising {@code attempt}.
 *
 * @param provider the provider's name in {@code taskd.toml}
 * @param model    the model part of {@code provider/model}
 * @param attempt  1 for the first request of a call
 * @param status   the HTTP status, or 0 when no reply came (timeout, connection error, cancel)
 * @param usage    the reply's tokens; {@link Usage#NONE} unless {@code OK}
 * @param elapsed  time on the wire, not counting waits for a permit or a backoff
 * @param error    what went wrong, or null when {@code OK}
 */
public record CallRecord(String provider, String model, int attempt, Outcome outcome, int status, Usage usage,
                         Duration elapsed, String error) {

    /** What one attempt came to. */
    public enum Outcome {
        /** Replied; the call returns. */
        OK,
        /** 429; the call waits for Retry-After and tries again (not a failure). */
        RATE_LIMITED,
        /** A retryable error; the call backs off and tries again. */
        RETRIED,
        /** An error that ends the call: not retryable, or the last of the budget. */
        FAILED,
        /** The call's cancellation stopped the request on the wire. */
        CANCELLED
    }
}
