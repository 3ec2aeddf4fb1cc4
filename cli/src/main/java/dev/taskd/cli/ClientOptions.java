package dev.taskd.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --url}, {@code --token}, {@code --json} and {@code --config}: the options of every
 * command that talks to the daemon. Its {@code --config} only finds the daemon; it is not the
 * {@link ConfigOption} of {@code start} and {@code validate}, which names what is loaded.
 */
final class ClientOptions {

    static final String TOKEN_VARIABLE = "TASKD_TOKEN";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Read for its {@code daemon.listen} only: a client command never changes what the daemon loads. */
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the taskd.toml whose daemon.listen gives the URL when neither --url nor $TASKD_URL does"
                    + " (default: $TASKD_CONFIG, else the shipped one); it does not change what the daemon loads:"
                    + " 'taskd reload --from' does that")
    Path config;

    @Option(names = "--url", paramLabel = "URL",
            description = "the daemon's admin API, http://HOST:PORT or HOST:PORT (default: $TASKD_URL, else the"
                    + " listen address of the config file, else " + DaemonAddress.DEFAULT_LISTEN + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (default: $TASKD_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the daemon's JSON instead of text for people")
    boolean json;

    /** A client for the daemon these options name; a malformed URL is a usage error. */
    DaemonClient client() {
        String resolved = resolveUrl();
        String problem = DaemonAddress.problem(resolved);
        if (problem != null) {
            throw new ParameterException(mixee.commandLine(), problem);
        }
        String resolvedToken = token != null ? token : System.getenv(TOKEN_VARIABLE);
        return new DaemonClient(resolved, resolvedToken);
    }

    /** The URL these options name, as {@link DaemonAddress#resolve} finds it. */
    String resolveUrl() {
        return DaemonAddress.resolve(url, ConfigOption.resolve(config));
    }
}
