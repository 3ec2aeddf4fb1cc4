package dev.taskd.notify;

import java.time.Instant;
import java.util.Locale;

/**
 * One notification to one webhook, as {@code taskd notify log} shows it. Immutable; the log
 * replaces an entry as its delivery goes on.
 *
 * @param url      as {@code NotifySettings.shownUrl} shows it, never with its path or query
 * @param attempts requests made so far
 * @param status   the last HTTP status, or 0 when none came back
 * @param error    why the last attempt failed; "" when it did not
 */
public record Delivery(String id, String target, String event, String loopId, String url, Instant at, State state,
                       int attempts, int status, String error, long durationMs) {

    public enum State {
        /** Being sent, or waiting to retry. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed, or the receiver refused it (4xx), or it could not be signed. */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Delivery attempt(State now, int attempt, int code, String why, long tookMs) {
        return new Delivery(id, target, event, loopId, url, at, now, attempt, code, why, tookMs);
    }
}
