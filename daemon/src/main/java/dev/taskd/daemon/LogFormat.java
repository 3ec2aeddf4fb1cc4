package dev.taskd.daemon;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.taskd.reload.LogLevel;
import java.io.Console;
import java.util.Locale;

/**
 * How the daemon's log reads: {@code json}, one flat object per line for programs (logback.xml,
 * the default) or {@code text}, one line per event for people ({@link TextLogLayout}). Without
 * a choice, text when the daemon runs at a terminal (stdin and stdout, as the JDK's console
 * tells), JSON otherwise: under systemd, in a container, into a pipe or a file.
 */
public enum LogFormat {
    JSON, TEXT;

    /** The names {@link #choose} accepts. */
    public static final String NAMES = "json, text or auto";

    /**
     * The format {@code name} asks for; {@code auto} (or null) chooses by the terminal.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogFormat choose(String name) {
        String chosen = name == null ? "auto" : name.toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case "json" -> JSON;
            case "text" -> TEXT;
            case "auto" -> atTerminal() ? TEXT : JSON;
            default -> throw new IllegalArgumentException("the log format is " + NAMES + ", not '" + name + "'");
        };
    }

    /**
     * Makes this the format of every later log line. JSON is Logback's configuration from
     * logback.xml, left as it is; text replaces the root logger's appender with one on stdout.
     * Call before the daemon starts, from one thread.
     */
    public void install() {
        if (this == JSON) {
            return;
        }
        Logger root = LogLevel.root();
        TextLogLayout layout = new TextLogLayout();
        layout.setContext(root.getLoggerContext());
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(root.getLoggerContext());
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(root.getLoggerContext());
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    private static boolean atTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
