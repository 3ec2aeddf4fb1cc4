package dev.taskd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * One request to the daemon's admin API and its answer as text: the transport under
 * {@link DaemonClient} (which reads the answer with Jackson) and under the fast path of
 * {@code taskd status} (which reads it with {@link JsonText}). Nothing here loads Jackson.
 *
 * <p>{@code https://} is built on {@link HttpURLConnection} rather than
 * {@code java.net.http.HttpClient}: the latter sets up TLS (the default SSLContext and its trust
 * store) when it is built, even for an {@code http://} URL, which cost about a quarter of a second
 * of every command's start. {@code http://} goes over a plain socket ({@link PlainHttp}).
 */
final class HttpExchange {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;

    /** {@code baseUrl} is {@code http://HOST:PORT}, without {@code /v1}; {@code token} may be null. */
    HttpExchange(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The bearer token sent, or null: for the streams read outside this class. */
    String token() {
        return token;
    }

    /** What the daemon answered: the HTTP status and the body as UTF-8 text ("" when there is none). */
    record Answer(int status, String text) {

        boolean success() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * One request on its own connection: no proxy and no redirects followed, as the daemon is
     * addressed directly. {@code body} is JSON text or null. A failure to connect is
     * {@link DaemonUnreachable}; anything after the connection stands is an {@link ApiError}.
     * An {@code http://} address is spoken to over a plain socket ({@link PlainHttp}), an
     * {@code https://} one with HttpURLConnection, which brings TLS.
     */
    Answer send(String method, String path, String body, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(baseUrl + "/v1" + path);
        } catch (IllegalArgumentException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        }
        Map<String, String> request = new LinkedHashMap<>();
        request.put("Accept", "application/json");
        request.put("User-Agent", "taskd-cli/" + Version.current());
        if (token != null) {
            request.put("Authorization", "Bearer " + token);
        }
        request.putAll(headers);
        byte[] bytes = body != null ? body.getBytes(StandardCharsets.UTF_8)
                : method.equals("GET") || method.equals("DELETE") ? null : new byte[0];
        if (body != null) {
            request.put("Content-Type", "application/json");
        }
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            return sendPlain(uri, method, path, request, bytes);
        }
        return sendWithConnection(uri, method, path, request, bytes);
    }

    private Answer sendPlain(URI uri, String method, String path, Map<String, String> headers, byte[] bytes) {
        PlainHttp http;
        try {
            http = new PlainHttp(uri, method, headers, bytes == null ? -1 : bytes.length);
        } catch (IllegalArgumentException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        }
        for (int attempt = 1; ; attempt++) {
            Socket socket = connect(http);
            try (socket) {
                return http.exchange(socket, bytes, REQUEST_TIMEOUT);
            } catch (PlainHttp.NoAnswer e) {
                // A daemon stopping may close a connection it accepted; like HttpURLConnection, a
                // GET is tried once more, and that connection being refused means no daemon.
                if (attempt > 1 || !method.equals("GET")) {
                    throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
                }
            } catch (SocketTimeoutException e) {
                throw timedOut(method, path);
            } catch (IOException e) {
                throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
            }
        }
    }

    private Answer sendWithConnection(URI uri, String method, String path, Map<String, String> headers, byte[] bytes) {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiError(0, "io", method + " " + path + " at " + baseUrl + " failed: " + describe(e));
        }
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            connection.setRequestProperty(header.getKey(), header.getValue());
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
            return new Answer(status, read(status >= 400 ? connection.getErrorStream() : connection.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw timedOut(method, path);
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

    private ApiError timedOut(String method, String path) {
        return new ApiError(0, "timeout", method + " " + path + " at " + baseUrl + ": no answer within "
                + REQUEST_TIMEOUT.toSeconds() + " s");
    }

    /**
     * The daemon's refusal as an {@link ApiError}: its {@code error} and {@code message} when the
     * body is its JSON error, else the status and the start of the body.
     */
    static ApiError refusal(String method, String path, Answer answer) {
        Object json = null;
        if (!answer.text().isBlank()) {
            try {
                json = JsonText.parse(answer.text());
            } catch (IllegalArgumentException e) {
                json = null;
            }
        }
        Object code = JsonText.member(json, "error");
        Object message = JsonText.member(json, "message");
        String text = message != null ? JsonText.asText(message)
                : method + " " + path + " answered HTTP " + answer.status()
                        + (answer.text().isBlank() ? "" : ": " + abbreviate(answer.text()));
        if (answer.status() == 401) {
            text += " (pass --token or set TASKD_TOKEN)";
        }
        return new ApiError(answer.status(), code != null ? JsonText.asText(code) : "", text);
    }

    /** A 2xx answer whose body is not JSON. */
    static ApiError notJson(String method, String path, Answer answer) {
        return new ApiError(answer.status(), "bad_answer", method + " " + path + " answered " + answer.status()
                + " with a body that is not JSON: " + abbreviate(answer.text()));
    }

    /** A socket connected to the daemon; a daemon that is not there is {@link DaemonUnreachable}. */
    private Socket connect(PlainHttp http) {
        try {
            return http.connect(CONNECT_TIMEOUT);
        } catch (SocketTimeoutException e) {
            throw new DaemonUnreachable(baseUrl, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (UnknownHostException e) {
            throw new DaemonUnreachable(baseUrl, "unknown host", e);
        } catch (IOException e) {
            throw new DaemonUnreachable(baseUrl, reason(e), e);
        }
    }

    /** Opens the connection and shakes hands; a daemon that is not there is {@link DaemonUnreachable}. */
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
