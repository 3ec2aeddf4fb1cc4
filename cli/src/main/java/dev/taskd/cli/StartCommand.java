package dev.taskd.cli;

import dev.taskd.daemon.Daemon;
import dev.taskd.daemon.InvalidConfigException;
import dev.taskd.daemon.LogFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code taskd start}: runs the daemon in the foreground until SIGTERM or SIGINT. Logs go to
 * stdout, as JSON lines or text for people ({@code --log-format}); a refused start prints the
 * same findings as {@code taskd validate}.
 */
@Command(name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Run the daemon in the foreground: load the configuration, resume unfinished loops,",
            "serve the admin API. Stops on SIGTERM or SIGINT; loops resume on the next start.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  stopped by a signal", "  1  could not start (address in use, unreadable token file, ...)",
                  "  4  the configuration is invalid; nothing was started"})
final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "json (one object per line), text (one line per event for people), or auto: text"
                    + " when stdin and stdout are a terminal, else json (default: ${DEFAULT-VALUE})")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            LogFormat.choose(logFormat).install();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--log-format: " + e.getMessage());
        }
        Path config = configOption.resolve();
        Daemon daemon;
        try {
            daemon = Daemon.start(config, Path.of("").toAbsolutePath(), VersionProvider.version());
        } catch (InvalidConfigException e) {
            e.findings().forEach(err::println);
            err.println("taskd: not started: " + e.getMessage() + " (" + config + ")");
            return ExitCode.INVALID_CONFIG;
        } catch (IOException e) {
            err.println("taskd: not started: " + e.getMessage());
            return ExitCode.FAILURE;
        }
        daemon.awaitStopped();
        return ExitCode.OK;
    }
}
