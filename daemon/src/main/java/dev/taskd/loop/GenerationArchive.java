package dev.taskd.loop;

import java.util.Optional;

/**
 * Earlier generations, rebuilt from their kept sources: how a loop pinned to a version of its
 * type keeps running exactly that version after a restart, when the generation in force has
 * another. Implementations may be slow (a whole configuration load) and must be thread-safe.
 */
@FunctionalInterface
public interface GenerationArchive {

    /** Generation {@code number}, or empty when its sources are not kept or no longer load. */
    Optional<Generation> rebuild(long number);
}
