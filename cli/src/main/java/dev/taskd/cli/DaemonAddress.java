package dev.taskd.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the client finds the daemon: {@code --url}, else {@code $TASKD_URL}, else
 * {@code daemon.listen} of the config file, else {@value #DEFAULT_LISTEN}. Shared by
 * {@link ClientOptions} and the {@link FastPath}, so it uses neither picocli nor an ObjectMapper.
 */
final class DaemonAddress {

    static final String URL_VARIABLE = "TASKD_URL";
    static final String DEFAULT_LISTEN = "127.0.0.1:7070";

    private DaemonAddress() {
    }

    /** The URL to use: {@code option} (may be null), else $TASKD_URL, else the config's listen address; a bare HOST:PORT gets {@code http://}. */
    static String resolve(String option, Path config) {
        if (option != null && !option.isBlank()) {
            return urlOf(option.strip());
        }
        String fromEnvironment = System.getenv(URL_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return urlOf(fromEnvironment.strip());
        }
        return urlOf(listenFromConfig(config));
    }

    /** Why {@code url} cannot address the daemon, as a usage error says it; null when it can. */
    static String problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "--url: '" + url + "' is not a URL (" + e.getReason() + "); write http://HOST:PORT";
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return "--url: '" + url + "' is not an http:// URL with a host, such as http://" + DEFAULT_LISTEN;
        }
        return null;
    }

    /**
     * {@code daemon.listen} of the config file, read with Jackson's TOML parser token by token (not
     * the full loader, which starts GraalJS, nor a TomlMapper, whose set-up costs a short command
     * more than the rest of it); the default when the file or the key is missing or unreadable
     * ({@code taskd validate} is the place to report a broken file).
     */
    static String listenFromConfig(Path config) {
        if (!Files.isRegularFile(config)) {
            return DEFAULT_LISTEN;
        }
        try (JsonParser parser = new TomlFactory().createParser(config.toFile())) {
            String listen = listen(parser);
            return listen != null && !listen.isBlank() ? listen.strip() : DEFAULT_LISTEN;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_LISTEN;
        }
    }

    /** The string at {@code daemon.listen} of the document {@code parser} reads; null when there is none. */
    private static String listen(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String table = parser.currentName();
            JsonToken value = parser.nextToken();
            if (table.equals("daemon") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonToken keyValue = parser.nextToken();
                    if (key.equals("listen")) {
                        return keyValue == JsonToken.VALUE_STRING ? parser.getText() : null;
                    }
                    parser.skipChildren();
                }
                return null;
            }
            parser.skipChildren();
        }
        return null;
    }

    /** A URL as is; a listen address with {@code http://} before it, a wildcard host becoming the loopback address. */
    static String urlOf(String listen) {
        if (listen.contains("://")) {
            return listen;
        }
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? listen : listen.substring(0, colon);
        String port = colon < 0 ? "" : listen.substring(colon);
        host = switch (host) {
            case "", "0.0.0.0", "*" -> "127.0.0.1";
            case "[::]", "::" -> "[::1]";
            default -> host;
        };
        return "http://" + host + port;
    }
}
