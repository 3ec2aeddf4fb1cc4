package dev.taskd.reload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.taskd.loop.Generation;
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

    /** Sets the root level; {@code level} is one the key table allows. */
    public static void set(String level) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
    }
}
