package dev.taskd.schedule;

import com.cronutils.model.time.ExecutionTime;
import dev.taskd.config.ScheduleSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a schedule fires: pure arithmetic over its settings, shared by the running schedules and
 * the dry-run plan so that both name the same times. A cron expression is read by cron-utils in
 * the schedule's zone; an interval counts from midnight 1970-01-01 in that zone, so that
 * {@code every = "10m"} fires at :00, :10, ... and every node of a cluster names the same times.
 */
public final class FireTimes {

    private FireTimes() {
    }

    /** The first fire time after {@code after}; empty for a cron expression that never fires again. */
    public static Optional<Instant> next(ScheduleSettings schedule, Instant after) {
        if (schedule.every() != null) {
            long interval = schedule.every().toMillis();
            long since = after.toEpochMilli() - anchor(schedule);
            return Optional.of(Instant.ofEpochMilli(anchor(schedule) + (Math.floorDiv(since, interval) + 1) * interval));
        }
        return ExecutionTime.forCron(schedule.parsedCron()).nextExecution(after.atZone(schedule.zone()))
                .map(ZonedDateTime::toInstant);
    }

    /** The last fire time at or before {@code atOrBefore}, for catching up after downtime. */
    public static Optional<Instant> latest(ScheduleSettings schedule, Instant atOrBefore) {
        if (schedule.every() != null) {
            long interval = schedule.every().toMillis();
            long since = atOrBefore.toEpochMilli() - anchor(schedule);
            return Optional.of(Instant.ofEpochMilli(anchor(schedule) + Math.floorDiv(since, interval) * interval));
        }
        // cron-utils answers the last time strictly before its argument, at whole seconds.
        return ExecutionTime.forCron(schedule.parsedCron())
                .lastExecution(atOrBefore.plusSeconds(1).atZone(schedule.zone()))
                .map(ZonedDateTime::toInstant)
                .filter(time -> !time.isAfter(atOrBefore));
    }

    private static long anchor(ScheduleSettings schedule) {
        return LocalDate.EPOCH.atStartOfDay(schedule.zone()).toInstant().toEpochMilli();
    }
}
