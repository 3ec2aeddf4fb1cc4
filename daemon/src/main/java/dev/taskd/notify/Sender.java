package dev.taskd.notify;

import dev.taskd.config.NotifySettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One delivery with its retries: POST the body, signed when the target has a {@code secret-env};
 * a network error, a timeout, 429 or 5xx is tried again after 1 s, 2 s, 4 s ({@link #ATTEMPTS} in
 * all); another 4xx is final. Each attempt is recorded in the {@link DeliveryLog}. Runs on a
 * delivery's own virtual thread.
 */
final class Sender {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Function<String, String> environment;
    private final DeliveryLog log;

    Sender(HttpClient http, Function<String, String> environment, DeliveryLog log) {
        this.http = http;
        this.environment = environment;
        this.log = log;
    }

    /** Sends until delivered, refused or out of attempts; {@code stopping} ends the retries early. */
    Delivery send(NotifySettings target, Delivery delivery, byte[] body, BooleanSupplier stopping) {
        HttpRequest request;
        try {
            request = request(target, delivery, body);
        } catch (IllegalStateException e) {
            return record(delivery.attempt(Delivery.State.FAILED, 0, 0, e.getMessage(), 0));
        }
        Delivery now = delivery;
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long started = System.nanoTime();
            int status = 0;
            String error;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                error = status / 100 == 2 ? "" : "the receiver answered " + status;
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return record(now.attempt(Delivery.State.FAILED, attempt, 0, "the daemon stopped", 0));
            }
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            boolean retry = !error.isEmpty() && (status == 0 || status == 429 || status >= 500);
            boolean last = attempt == ATTEMPTS || !retry || stopping.getAsBoolean();
            Delivery.State state = error.isEmpty() ? Delivery.State.DELIVERED
                    : last ? Delivery.State.FAILED : Delivery.State.PENDING;
            now = record(now.attempt(state, attempt, status, error, took));
            if (state != Delivery.State.PENDING) {
                return now;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return record(now.attempt(Delivery.State.FAILED, attempt, status, error + "; the daemon stopped", took));
            }
            backoff = backoff.multipliedBy(2);
        }
        return now;
    }

    private Delivery record(Delivery delivery) {
        log.put(delivery);
        return delivery;
    }

    /** The request; @throws IllegalStateException when the signing key's variable is unset. */
    private HttpRequest request(NotifySettings target, Delivery delivery, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "taskd")
                .header("X-Taskd-Event", delivery.event())
                .header("X-Taskd-Delivery", delivery.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!target.secretEnv().isEmpty()) {
            String key = environment.apply(target.secretEnv());
            if (key == null || key.isEmpty()) {
                throw new IllegalStateException("environment variable " + target.secretEnv() + " (notify."
                        + target.name() + ".secret-env) is not set in the daemon's environment; the event is not"
                        + " sent unsigned");
            }
            request.header(Signature.HEADER, Signature.of(key.getBytes(StandardCharsets.UTF_8), body));
        }
        return request.build();
    }
}
