package dev.taskd.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code taskd status [--json] [--url URL] [--token TOKEN] [-c|--config FILE]} without picocli
 * or Jackson. A client command's time goes mostly into setting up those two (picocli reflects
 * over the command and its classes are verified at run time; an ObjectMapper builds its
 * serializers), not into asking the daemon, so the most-run command skips them: it prints
 * through the same {@link StatusReport}, resolves the daemon as {@link DaemonAddress} does, and
 * reports failures as {@link Main} does, so its output and exit codes are those of the picocli
 * path. Any other command line, and any it does not read exactly as picocli would (help,
 * {@code -cFILE}, a repeated option, an {@code @file}, a malformed URL), is left to picocli.
 */
final class FastPath {

    /** What {@link #run} answers when it left the command line to picocli. */
    static final int NOT_HANDLED = -1;

    private FastPath() {
    }

    /** Runs {@code args} if this path takes them, printing as picocli's default writers would. */
    static int run(String[] args) {
        if (args.length == 0 || !args[0].equals("status")) {
            return NOT_HANDLED;
        }
        return run(args, writer(System.out, "sun.stdout.encoding"), writer(System.err, "sun.stderr.encoding"));
    }

    /** Runs {@code args} on the given writers; {@link #NOT_HANDLED} when they are for picocli. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Options options = Options.read(args);
        if (options == null) {
            return NOT_HANDLED;
        }
        String url;
        try {
            url = DaemonAddress.resolve(options.url, ConfigOption.resolve(options.config == null ? null : Path.of(options.config)));
        } catch (InvalidPathException e) {
            return NOT_HANDLED;
        }
        if (DaemonAddress.problem(url) != null) {
            return NOT_HANDLED;   // a usage error, which picocli prints with the usage
        }
        String token = options.token != null ? options.token : System.getenv(ClientOptions.TOKEN_VARIABLE);
        try {
            return StatusReport.print(new HttpExchange(url, token), options.json, out);
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }

    /** The options of {@code status} as given, or null for a command line this path leaves to picocli. */
    private static final class Options {
        String url;
        String token;
        String config;
        boolean json;

        static Options read(String[] args) {
            Options options = new Options();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--json")) {
                    if (options.json) {
                        return null;
                    }
                    options.json = true;
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
                String value;
                if (equals > 0 && arg.startsWith("--")) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (value.startsWith("-") || value.startsWith("@") || !options.set(name, value)) {
                    return null;
                }
            }
            return options;
        }

        /** Sets option {@code name} once; false for an unknown or repeated one. */
        private boolean set(String name, String value) {
            switch (name) {
                case "--url" -> {
                    if (url != null) {
                        return false;
                    }
                    url = value;
                }
                case "--token" -> {
                    if (token != null) {
                        return false;
                    }
                    token = value;
                }
                case "-c", "--config" -> {
                    if (config != null) {
                        return false;
                    }
                    config = value;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    /** A writer as picocli makes its own: the stream's encoding property, else the default charset; flushed at each line. */
    static PrintWriter writer(OutputStream stream, String encodingProperty) {
        String encoding = System.getProperty(encodingProperty);
        Charset charset = Charset.defaultCharset();
        if (encoding != null) {
            try {
                charset = Charset.forName("cp65001".equalsIgnoreCase(encoding) ? "UTF-8" : encoding);
            } catch (RuntimeException e) {
                charset = Charset.defaultCharset();
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
