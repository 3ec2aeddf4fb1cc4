package dev.taskd.loop;

import java.time.Duration;
import java.time.Instant;

/**
 * What a loop that has not ended waits for before its next iteration, as
 * {@code GET /v1/loops/{id}} shows it: the delay between iterations, a place in the queue, or a
 * loop it runs {@code after}. A closed set; {@link #reason} names each for the API.
 */
public sealed interface Waiting {

    /**
     * A running loop waits out its delay: {@code until} the next iteration starts.
     *
     * @param backoff true when the delay doubles after each iteration ({@code backoff = "exponential"})
     */
    record Delay(Instant until, Duration delay, boolean backoff) implements Waiting {
    }

    /** A queued loop that may start now; {@code ahead} queued loops are admitted before it. */
    record Queued(int ahead) implements Waiting {
    }

    /** A queued loop that starts only once {@code loopId}, which it runs after, has succeeded. */
    record After(String loopId) implements Waiting {
    }

    /** {@code backoff}, {@code delay}, {@code queued} or {@code after}. */
    default String reason() {
        return switch (this) {
            case Delay delay -> delay.backoff() ? "backoff" : "delay";
            case Queued queued -> "queued";
            case After after -> "after";
        };
    }
}
