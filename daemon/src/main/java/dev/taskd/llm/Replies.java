package dev.taskd.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

/** Classifies what came back from one request. */
final class Replies {

    private static final int MAX_ERROR_TEXT = 500;

    private Replies() {
    }

    /**
     * What a reply means for the call. A streamed reply has given its text to {@code sink}
     * already; one sent whole gives it now, in one piece. A stream that broke off is retried as a
     * malformed reply is.
     */
    static Attempt classify(Route route, HttpResponse<ReplyBody> response, ReplySink sink, Instant now,
                            RetryPolicy policy) {
        int status = response.statusCode();
        String body;
        switch (response.body()) {
            case ReplyBody.Streamed streamed -> {
                return new Attempt.Success(streamed.response());
            }
            case ReplyBody.Broken broken -> {
                return new Attempt.Retryable(status, "broken reply stream from " + where(route) + ": "
                        + broken.why(), null);
            }
            case ReplyBody.Whole whole -> body = whole.text();
        }
        if (status >= 200 && status < 300) {
            try {
                ChatResponse reply = route.client().parse(ProviderClient.JSON.readTree(body), route);
                if (!reply.content().isEmpty()) {
                    sink.text(reply.content());
                }
                return new Attempt.Success(reply);
            } catch (JsonProcessingException | MalformedReplyException e) {
                return new Attempt.Retryable(status, "malformed reply from " + where(route) + ": "
                        + e.getMessage().lines().findFirst().orElse("") + "; body: " + clip(body), e);
            }
        }
        String message = "HTTP " + status + " from " + where(route) + ": " + providerMessage(body);
        if (status == 429) {
            return new Attempt.RateLimited(RetryAfter.from(response.headers(), now, policy), message);
        }
        if (status >= 500 || status == 408) {
            return new Attempt.Retryable(status, message, null);
        }
        return new Attempt.Fatal(status, message, null);
    }

    /** What a request that got no reply means for the call. */
    static Attempt classify(Route route, Throwable failure, Duration timeout) {
        if (failure instanceof HttpTimeoutException) {
            return new Attempt.Retryable(0, "no reply from " + where(route) + " within " + timeout.toSeconds()
                    + " s", failure);
        }
        if (failure instanceof IOException) {
            return new Attempt.Retryable(0, "cannot reach " + where(route) + ": " + failure, failure);
        }
        return new Attempt.Fatal(0, "request to " + where(route) + " failed: " + failure, failure);
    }

    /** {@code error.message} of a JSON error body (OpenAI and Anthropic both use it), else the body itself. */
    static String providerMessage(String body) {
        try {
            JsonNode error = ProviderClient.JSON.readTree(body).path("error");
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (JsonProcessingException notJson) {
            // the body is the message
        }
        return body.isBlank() ? "(empty body)" : clip(body);
    }

    private static String where(Route route) {
        return "provider '" + route.provider() + "' (" + route.endpoint() + ")";
    }

    private static String clip(String text) {
        String flat = text.strip();
        return flat.length() <= MAX_ERROR_TEXT ? flat : flat.substring(0, MAX_ERROR_TEXT) + "...";
    }
}
