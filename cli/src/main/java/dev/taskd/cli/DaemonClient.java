package dev.taskd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;

/**
 * A small client of the daemon's admin API ({@code /v1}, JSON). Every call answers the parsed
 * body, or throws {@link DaemonUnreachable} when nothing listens and {@link ApiError} when the
 * daemon refuses.
 *
 * <p>Built on {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter
 * sets up TLS (the default SSLContext and its trust store) when it is built, even for an
 * {@code http://} URL, which cost about a quarter of a second of every command's start.
 */
final class DaemonClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;

    /** {@code baseUrl} is {@code http://HOST:PORT}, without {@code /v1}; {@code token} may be null. */
    DaemonClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    String baseUrl() {
        return baseUrl;
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

    /**
     * One request on its own connection: no proxy and no redirects followed, as the daemon is
     * addressed directly. A failure to connect is {@link DaemonUnreachable}; anything after the
     * connection stands is an {@link ApiError}.
     */
    private JsonNode send(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(baseUrl + "/v1" + path).toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        }
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("User-Agent", "taskd-cli/" + VersionProvider.version());
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        headers.forEach(connection::setRequestProperty);
        byte[] bytes = body != null ? body.toString().getBytes(StandardCharsets.UTF_8)
                : method.equals("GET") || method.equals("DELETE") ? null : new byte[0];
        if (body != null) {
            connection.setRequestProperty("Content-Type", "application/json");
        }
        if (bytes != null) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(bytes.length);
        }
        connect(connection);
        try {
            if (bytes != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            return answer(method, path, status, read(status >= 400 ? connection.getErrorStream() : connection.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new ApiError(0, "timeout", method + " " + path + " at " + baseUrl + ": no answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            // HttpURLConnection retries a GET once on a new connection when the first one closes
            // before answering (a daemon stopping); that one being refused means no daemon.
            throw new DaemonUnreachable(baseUrl, reason(e), e);
        } catch (IOException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        } finally {
            connection.disconnect();
        }
    }

    /** Opens the connection (and for https, shakes hands); a daemon that is not there is {@link DaemonUnreachable}. */
    private void connect(HttpURLConnection connection) {
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw new DaemonUnreachable(baseUrl, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (UnknownHostException e) {
            throw new DaemonUnreachable(baseUrl, "unknown host", e);
        } catch (SSLException e) {
            throw new ApiError(0, "io", "TLS with " + baseUrl + " failed: " + describe(e));
        } catch (IOException e) {
            throw new DaemonUnreachable(baseUrl, reason(e), e);
        }
    }

    /** The whole body as UTF-8 text; "" when there is none. */
    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode answer(String method, String path, int status, String text) {
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

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "connection refused";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
