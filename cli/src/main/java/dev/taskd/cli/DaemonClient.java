package dev.taskd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small client of the daemon's admin API ({@code /v1}, JSON), on {@link HttpExchange}. Every
 * call answers the body parsed by Jackson, or throws {@link DaemonUnreachable} when nothing
 * listens and {@link ApiError} when the daemon refuses.
 */
final class DaemonClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange http;

    /** {@code baseUrl} is {@code http://HOST:PORT}, without {@code /v1}; {@code token} may be null. */
    DaemonClient(String baseUrl, String token) {
        this.http = new HttpExchange(baseUrl, token);
    }

    String baseUrl() {
        return http.baseUrl();
    }

    /** The transport, for commands that read the answer without Jackson ({@code taskd status}). */
    HttpExchange http() {
        return http;
    }

    JsonNode get(String path) {
        return send("GET", path, null, Map.of());
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body, Map.of());
    }

    /** A POST with extra request headers, such as {@code Idempotency-Key}. */
    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Map.of());
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

    private JsonNode send(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpExchange.Answer answer = http.send(method, path, body == null ? null : body.toString(), headers);
        if (!answer.success()) {
            throw HttpExchange.refusal(method, path, answer);
        }
        if (answer.text().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(answer.text());
        } catch (JsonProcessingException e) {
            throw HttpExchange.notJson(method, path, answer);
        }
    }
}
