package dev.taskd.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard (README, "Dashboard"): {@code GET /} is its page and {@code GET /ui/NAME} its
 * scripts and styles, read from the jar's {@code dashboard/} folder. These files hold no data, so
 * they are served without a token; every call the page makes for data goes to {@code /v1} and
 * needs one like any other client. A name is one path segment of lower-case letters, digits and
 * dashes with a known extension, so no request reaches outside that folder. Each answer carries
 * an {@code ETag} of its bytes and {@code Cache-Control: no-cache}: a browser revalidates and gets
 * 304 until the daemon is upgraded. Thread-safe.
 */
final class DashboardService implements HttpService {

    private static final String FOLDER = "dashboard/";
    private static final String PREFIX = "/ui/";
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    /**
     * The page loads only its own scripts and styles and talks only to this daemon; nothing
     * inline runs, it cannot be framed, and a form cannot post elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; object-src 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** Files read once each; a name the jar does not hold is remembered as empty. */
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    private record Asset(byte[] bytes, String type, String etag) {
    }

    /**
     * Whether {@code path} is one of the dashboard's files, which need no token. Exact on
     * purpose: a path such as {@code /ui/../v1/status} is not one, so it gets no exemption.
     */
    static boolean serves(String path) {
        return path.equals("/") || path.startsWith(PREFIX) && NAME.matcher(path.substring(PREFIX.length())).matches();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (request, response) -> send(request, response, "index.html"))
                .get(PREFIX + "{name}", (request, response) ->
                        send(request, response, request.path().pathParameters().get("name")))
                .any("/", Allow.only("GET"))
                .any(PREFIX + "{name}", Allow.only("GET"));
    }

    private void send(ServerRequest request, ServerResponse response, String name) {
        Optional<Asset> found = NAME.matcher(name).matches()
                ? assets.computeIfAbsent(name, DashboardService::load) : Optional.empty();
        if (found.isEmpty()) {
            Responses.error(response, 404, "not_found", "the dashboard has no file " + name);
            return;
        }
        Asset asset = found.get();
        response.header(HeaderNames.ETAG, asset.etag());
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);
        response.header(REFERRER_POLICY, "no-referrer");
        if (asset.type().startsWith("text/html")) {
            response.header(CSP, CONTENT_SECURITY_POLICY);
        }
        boolean unchanged = request.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(tags -> tags.contains(asset.etag()) || tags.strip().equals("*")).orElse(false);
        if (unchanged) {
            response.status(304);
            response.send();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, asset.type());
        response.send(asset.bytes());
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = DashboardService.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new Asset(bytes, TYPES.get(extension), etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + FOLDER + name + " from the jar", e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
