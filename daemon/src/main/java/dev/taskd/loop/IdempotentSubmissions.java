package dev.taskd.loop;

import dev.taskd.store.IdempotencyRecord;
import dev.taskd.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Submissions with an {@code Idempotency-Key}: the first request with a key makes a loop and
 * records the key with it in one store transaction; a later one with the same key and the same
 * request answers that loop; one with another request is a conflict. Keys are kept for
 * {@link #KEPT}, then expire and are swept.
 *
 * <p>Thread-safe. Requests with the same key are serialized by a lock striped over the key's hash
 * (one daemon owns the data dir, so an in-process lock suffices), so concurrent identical
 * requests make exactly one loop. Only a loop that was made records its key: a refused request
 * (unknown type, queue full, draining) leaves nothing behind and may be retried with its key.
 */
final class IdempotentSubmissions {

    static final Duration KEPT = Duration.ofHours(24);

    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final Store store;
    private final Clock clock;

    IdempotentSubmissions(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The key to record with a new loop, and when older keys expire; the engine fills in the loop id. */
    record Keyed(String key, String requestHash, Instant now, Instant sweepBefore) {

        IdempotencyRecord record(String loopId) {
            return new IdempotencyRecord(key, requestHash, loopId, now);
        }
    }

    /**
     * Makes the loop through {@code engine} unless this key made one already.
     *
     * @throws LoopException of kind {@code CONFLICT} when the key came with another request, or
     *                       whatever the engine's submit throws
     */
    Submitted submit(Submission submission, IdempotencyKey key, LoopEngine engine) {
        String hash = requestHash(submission);
        ReentrantLock lock = stripes[Math.floorMod(key.value().hashCode(), stripes.length)];
        lock.lock();
        try {
            Instant now = clock.instant();
            var earlier = store.idempotencyKey(key.value(), now.minus(KEPT));
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(hash)) {
                    throw new LoopException(LoopException.Kind.CONFLICT, "Idempotency-Key '" + key.value()
                            + "' was used at " + earlier.get().createdAt() + " for another submission (loop "
                            + earlier.get().loopId() + "); send a new key with a different request");
                }
                return new Submitted(engine.find(earlier.get().loopId()), true);
            }
            return new Submitted(engine.create(submission, new Keyed(key.value(), hash, now, now.minus(KEPT))), false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * SHA-256 of the submission as parsed, so that key order, spacing and defaults written out do
     * not make two equal requests differ. Each part is length-prefixed: no two submissions encode
     * alike.
     */
    static String requestHash(Submission submission) {
        StringBuilder text = new StringBuilder();
        part(text, submission.type());
        Map<String, String> inputs = new TreeMap<>(submission.inputs());
        part(text, Integer.toString(inputs.size()));
        inputs.forEach((name, value) -> {
            part(text, name);
            part(text, value);
        });
        part(text, Integer.toString(submission.priority()));
        part(text, Integer.toString(submission.after().size()));
        submission.after().forEach(id -> part(text, id));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void part(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value);
    }
}
