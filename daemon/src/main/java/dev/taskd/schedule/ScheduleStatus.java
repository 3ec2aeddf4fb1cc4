package dev.taskd.schedule;

import dev.taskd.config.ScheduleSettings;
import java.time.Instant;

/**
 * One schedule as {@code taskd schedules list} shows it: its settings and what it did. A copy,
 * made on the schedules' thread; null fields mean "none yet".
 *
 * @param nextFire   null for a cron expression that never fires again
 * @param queuedFire overlap = "queue": the fire time waiting for the previous loop to end
 */
public record ScheduleStatus(ScheduleSettings settings, Instant nextFire, Instant lastFire, String lastLoop,
                             long fired, long skipped, Instant queuedFire, String lastError) {
}
