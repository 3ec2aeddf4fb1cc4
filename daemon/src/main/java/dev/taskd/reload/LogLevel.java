package dev.taskd.reload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.taskd.loop.Generation;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** The side effect that applies {@code monitoring.log-level} to the root logger. */
public final class LogLevel implements SideEffect {

    @Override
    public String name() {
        return "log level";
    }

    @Override
    public void apply(Generation before, Generation after) {
        set(after.snapshot().config().monitoring().logLevel());
    }

    @Override
    public void undo(Generation before, Generation after) {
        set(before.snapshot().config().monitoring().logLevel());
    }

    /** How long {@link #set} waits for another thread to finish initializing SLF4J. */
    private static final long INITIALIZATION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Sets the root level; {@code level} is one the key table allows. */
    public static void set(String level) {
        root().setLevel(Level.toLevel(level, Level.INFO));
    }

    /**
     * Logback's root logger. While another thread (a start's warm-ups log too) is initializing
     * SLF4J, it hands out stand-in loggers that are not Logback's; wait for the real one rather
     * than fail the start with a ClassCastException.
     */
    public static Logger root() {
        long deadline = System.nanoTime() + INITIALIZATION_WAIT_NANOS;
        while (true) {
            org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root instanceof Logger logback) {
                return logback;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the root logger is " + root.getClass().getName()
                        + ", not Logback's, 10 s after start: is another SLF4J provider on the class path?");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while SLF4J was initializing", e);
            }
        }
    }
}
