package dev.taskd.reload;

import dev.taskd.loop.Generation;

/**
 * A step a reload takes after the new generation is in force (log level, watched directories).
 * Steps run in order; when one fails, those already applied are undone in reverse order.
 */
public interface SideEffect {

    /** A short name for errors: {@code "log level"}. */
    String name();

    void apply(Generation before, Generation after) throws Exception;

    void undo(Generation before, Generation after) throws Exception;
}
