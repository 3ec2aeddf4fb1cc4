package dev.taskd.loop;

/**
 * Where the engine announces what loops do: the daemon logs each event as one JSON line and
 * streams it to {@code /v1/events}. Called on the loop's own thread, after the store has what the
 * event says; implementations must be fast and must not throw.
 */
@FunctionalInterface
public interface LoopEvents {

    void emit(LoopEvent event);
}
