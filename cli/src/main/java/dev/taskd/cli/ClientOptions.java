package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --url}, {@code --token}, {@code --json} and {@code --config}: the options of every
 * command that talks to the daemon.
 */
final class ClientOptions {

    static final String URL_VARIABLE = "TASKD_URL";
    static final String TOKEN_VARIABLE = "TASKD_TOKEN";
    static final String DEFAULT_LISTEN = "127.0.0.1:7070";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--url", paramLabel = "URL",
            description = "the daemon's admin API, http://HOST:PORT or HOST:PORT (default: $TASKD_URL, else the"
                    + " listen address of the config file, else " + DEFAULT_LISTEN + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (default: $TASKD_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the daemon's JSON instead of text for people")
    boolean json;

    /** A client for the daemon these options name; a malformed URL is a usage error. */
    DaemonClient client() {
        String resolved = resolveUrl();
        URI uri;
        try {
            uri = new URI(resolved);
        } catch (URISyntaxException e) {
            throw new ParameterException(mixee.commandLine(), "--url: '" + resolved + "' is not a URL (" + e.getReason()
                    + "); write http://HOST:PORT");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ParameterException(mixee.commandLine(),
                    "--url: '" + resolved + "' is not an http:// URL with a host, such as http://" + DEFAULT_LISTEN);
        }
        String resolvedToken = token != null ? token : System.getenv(TOKEN_VARIABLE);
        return new DaemonClient(resolved, resolvedToken);
    }

    /**
     * The option, else $TASKD_URL, else daemon.listen of the config file, else the default; a
     * bare HOST:PORT gets {@code http://}.
     */
    String resolveUrl() {
        if (url != null && !url.isBlank()) {
            return urlOf(url.strip());
        }
        String fromEnvironment = System.getenv(URL_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return urlOf(fromEnvironment.strip());
        }
        return urlOf(listenFromConfig(configOption.resolve()));
    }

    /**
     * {@code daemon.listen} of the config file, read with a plain TOML parser (not the full
     * loader, which starts GraalJS); the default when the file or the key is missing or unreadable
     * ({@code taskd validate} is the place to report a broken file).
     */
    static String listenFromConfig(Path config) {
        if (!Files.isRegularFile(config)) {
            return DEFAULT_LISTEN;
        }
        try {
            JsonNode listen = new TomlMapper().readTree(config.toFile()).path("daemon").path("listen");
            return listen.isTextual() && !listen.asText().isBlank() ? listen.asText().strip() : DEFAULT_LISTEN;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_LISTEN;
        }
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
