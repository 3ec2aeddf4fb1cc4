package dev.taskd.loop;

import java.util.Map;

/**
 * Where the engine announces what loops do: the daemon logs each event as one JSON line, and a
 * later change streams them to subscribers. Implementations must be fast and must not throw.
 */
@FunctionalInterface
public interface LoopEvents {

    /**
     * @param event  a stable name: {@code loop_submitted}, {@code loop_started},
     *               {@code iteration_completed}, {@code loop_finished}, {@code loop_log}, ...
     * @param loopId the loop it concerns
     * @param fields further facts, by name
     */
    void emit(String event, String loopId, Map<String, Object> fields);
}
