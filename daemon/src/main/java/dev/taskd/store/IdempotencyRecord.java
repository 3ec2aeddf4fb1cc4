package dev.taskd.store;

import java.time.Instant;

/**
 * An {@code Idempotency-Key} of {@code POST /v1/loops} as kept: a hash of the request it came with
 * and the loop that request made. Written in the same transaction as the loop.
 */
public record IdempotencyRecord(String key, String requestHash, String loopId, Instant createdAt) {
}
