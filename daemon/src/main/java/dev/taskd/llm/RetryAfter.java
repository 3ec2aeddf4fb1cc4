package dev.taskd.llm;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long a 429 asks the caller to wait. */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait asked for by {@code retry-after-ms} (sent by OpenAI) or {@code Retry-After} (seconds
     * or an HTTP date), clamped to [0, {@code retryAfterCap}]; {@code retryAfterDefault} when
     * neither is present or readable.
     */
    static Duration from(HttpHeaders headers, Instant now, RetryPolicy policy) {
        Duration asked = headers.firstValue("retry-after-ms").map(value -> millis(value))
                .orElseGet(() -> headers.firstValue("retry-after").map(value -> parse(value, now)).orElse(null));
        if (asked == null) {
            asked = policy.retryAfterDefault();
        }
        if (asked.isNegative()) {
            return Duration.ZERO;
        }
        return asked.compareTo(policy.retryAfterCap()) > 0 ? policy.retryAfterCap() : asked;
    }

    /** The wait of a {@code Retry-After} value, or null when it is neither seconds nor an HTTP date. */
    static Duration parse(String value, Instant now) {
        String text = value.trim();
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Duration.between(now, at);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration millis(String value) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
