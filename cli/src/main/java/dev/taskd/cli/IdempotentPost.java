package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A POST that is safe to send again: it carries an {@code Idempotency-Key} (a random UUID, one per
 * command), and when no answer comes — no connection, a timeout, a broken connection — or the
 * daemon answers 503 (draining, about to restart), it is sent again with the same key, at most
 * {@link #ATTEMPTS} times with doubling pauses. The daemon makes at most one loop per key, so a
 * retry after a first attempt that did arrive answers that loop rather than making a second.
 * Every other answer, success or refusal, is final.
 */
final class IdempotentPost {

    static final int ATTEMPTS = 3;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    /** How to wait between attempts; tests pass one that does not. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final DaemonClient client;
    private final Pause pause;
    private final String key = UUID.randomUUID().toString();

    IdempotentPost(DaemonClient client) {
        this(client, duration -> Thread.sleep(duration));
    }

    IdempotentPost(DaemonClient client, Pause pause) {
        this.client = client;
        this.pause = pause;
    }

    String key() {
        return key;
    }

    /**
     * The answer of the first attempt that got a final one.
     *
     * @throws DaemonUnreachable or {@link ApiError} as the last attempt failed
     */
    JsonNode post(String path, JsonNode body) {
        Duration wait = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.post(path, body, Map.of("Idempotency-Key", key));
            } catch (DaemonUnreachable | ApiError e) {
                if (attempt == ATTEMPTS || !retryable(e)) {
                    throw e;
                }
            }
            try {
                pause.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(0, "interrupted", "interrupted while waiting to send POST " + path
                        + " again (Idempotency-Key " + key + ")");
            }
            wait = wait.multipliedBy(2);
        }
    }

    private static boolean retryable(RuntimeException e) {
        return e instanceof DaemonUnreachable || e instanceof ApiError error && (error.status() == 0 || error.status() == 503);
    }
}
