package dev.taskd.schedule;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a schedule did at a fire time, for the log: a closed set with stable names and fields
 * (add, never rename). The loops it makes announce themselves as every loop does.
 */
public sealed interface ScheduleEvent {

    String schedule();

    Instant time();

    /** It submitted {@code loopId}; {@code replayed}: that fire time had made the loop before (a restart, another node). */
    record Fired(String schedule, Instant time, String loopId, boolean catchUp, boolean replayed)
            implements ScheduleEvent {
    }

    /** overlap = "skip": the previous loop had not ended. */
    record Skipped(String schedule, Instant time, String previousLoop) implements ScheduleEvent {
    }

    /** overlap = "queue": it fires once the previous loop has ended. */
    record Queued(String schedule, Instant time, String previousLoop) implements ScheduleEvent {
    }

    /** The submission was refused (draining, queue full, storage); this fire time is given up. */
    record Failed(String schedule, Instant time, String error) implements ScheduleEvent {
    }

    default String name() {
        return switch (this) {
            case Fired e -> "schedule_fired";
            case Skipped e -> "schedule_skipped";
            case Queued e -> "schedule_queued";
            case Failed e -> "schedule_fire_failed";
        };
    }

    default Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("schedule", schedule());
        fields.put("fire_time", time().toString());
        switch (this) {
            case Fired e -> {
                fields.put("loop_id", e.loopId());
                fields.put("catch_up", e.catchUp());
                fields.put("replayed", e.replayed());
            }
            case Skipped e -> fields.put("previous_loop", e.previousLoop());
            case Queued e -> fields.put("previous_loop", e.previousLoop());
            case Failed e -> fields.put("error", e.error());
        }
        return Collections.unmodifiableMap(fields);
    }

    default boolean warning() {
        return this instanceof Failed;
    }
}
