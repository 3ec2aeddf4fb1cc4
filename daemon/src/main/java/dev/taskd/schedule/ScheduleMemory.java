package dev.taskd.schedule;

import dev.taskd.store.Store;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What schedules keep across restarts, in the store's {@code meta} table (no table of their
 * own, so no schema step): per schedule the last fire time handled and the last loop it made,
 * and per loop the schedule that made it. Keys: {@code schedule.NAME.last-fire},
 * {@code schedule.NAME.last-loop}, {@code schedule-origin.LOOP_ID}.
 */
final class ScheduleMemory {

    private final Store store;

    ScheduleMemory(Store store) {
        this.store = store;
    }

    Optional<Instant> lastFire(String schedule) {
        return store.meta("schedule." + schedule + ".last-fire").map(Instant::parse);
    }

    Optional<String> lastLoop(String schedule) {
        return store.meta("schedule." + schedule + ".last-loop");
    }

    Optional<String> origin(String loopId) {
        return store.meta("schedule-origin." + loopId);
    }

    /** Records, in one write, that {@code time} made {@code loopId}. */
    void fired(String schedule, Instant time, String loopId) {
        store.putMeta(Map.of("schedule." + schedule + ".last-fire", time.toString(),
                "schedule." + schedule + ".last-loop", loopId, "schedule-origin." + loopId, schedule));
    }

    /** Records that {@code time} was handled without a loop (skipped, or refused). */
    void passed(String schedule, Instant time) {
        store.putMeta("schedule." + schedule + ".last-fire", time.toString());
    }
}
