package dev.taskd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small client of the daemon's admin API ({@code /v1}, JSON). Every call answers the parsed
 * body, or throws {@link DaemonUnreachable} when nothing listens and {@link ApiError} when the
 * daemon refuses.
 */
final class DaemonClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    /** {@code baseUrl} is {@code http://HOST:PORT}, without {@code /v1}; {@code token} may be null. */
    DaemonClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** One path segment, percent-encoded (a loop id or prefix, a type name). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the non-null values, or "" when there are none. */
    static String query(Map<String, ?> parameters) {
        StringJoiner joiner = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                joiner.add(segment(name) + "=" + segment(String.valueOf(value)));
            }
        });
        return joiner.toString();
    }

    static Map<String, Object> parameters() {
        return new LinkedHashMap<>();
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "taskd-cli/" + VersionProvider.version());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new DaemonUnreachable(baseUrl, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new ApiError(0, "timeout", method + " " + path + " at " + baseUrl + ": no answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new DaemonUnreachable(baseUrl, reason(e), e);
        } catch (IOException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(0, "interrupted", method + " " + path + " was interrupted");
        }
        return answer(method, path, response);
    }

    private static JsonNode answer(String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                json = null;
            }
        }
        if (status >= 200 && status < 300) {
            if (json == null && !text.isBlank()) {
                throw new ApiError(status, "bad_answer", method + " " + path + " answered " + status
                        + " with a body that is not JSON: " + abbreviate(text));
            }
            return json == null ? JSON.createObjectNode() : json;
        }
        String code = json != null && json.hasNonNull("error") ? json.get("error").asText() : "";
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText()
                : method + " " + path + " answered HTTP " + status + (text.isBlank() ? "" : ": " + abbreviate(text));
        if (status == 401) {
            message += " (pass --token or set TASKD_TOKEN)";
        }
        throw new ApiError(status, code, message);
    }

    private static String reason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "connection refused";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
