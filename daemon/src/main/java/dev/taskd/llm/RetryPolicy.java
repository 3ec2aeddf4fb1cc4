package dev.taskd.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a request may take and how failures are retried. Immutable.
 *
 * @param requestTimeout      the longest one request may wait for its reply
 * @param errorAttempts       requests a call may make that end in a retryable error (5xx,
 *                            timeout, connection error, malformed reply) before it fails
 * @param backoffBase         the backoff ceiling after the first error; it doubles after each
 * @param backoffCap          the largest backoff ceiling
 * @param rateLimitedAttempts 429 replies a call accepts before it gives up; these do not use
 *                            the error budget
 * @param retryAfterDefault   the wait after a 429 without a usable {@code Retry-After}
 * @param retryAfterCap       the longest wait honoured from {@code Retry-After}
 */
public record RetryPolicy(Duration requestTimeout, int errorAttempts, Duration backoffBase, Duration backoffCap,
                          int rateLimitedAttempts, Duration retryAfterDefault, Duration retryAfterCap) {

    public RetryPolicy {
        if (errorAttempts < 1 || rateLimitedAttempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: errorAttempts=" + errorAttempts
                    + ", rateLimitedAttempts=" + rateLimitedAttempts);
        }
    }

    /** 120 s per request; 4 attempts with backoff from 0.5 s doubling to 8 s; 20 rate-limited attempts; Retry-After 1 s by default, at most 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(120), 4, Duration.ofMillis(500), Duration.ofSeconds(8), 20,
                Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** The wait after the {@code failures}-th error: full jitter, uniform in [0, min(cap, base * 2^(failures-1))]. */
    Duration backoff(int failures) {
        long ceiling = backoffBase.toNanos() << Math.min(failures - 1, 30);
        if (ceiling <= 0 || ceiling > backoffCap.toNanos()) {
            ceiling = backoffCap.toNanos();
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
