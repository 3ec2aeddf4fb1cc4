package dev.taskd.event;

import static dev.taskd.loop.LoopEvent.ordered;

import dev.taskd.config.Change;
import dev.taskd.loop.LoopEvent;
import dev.taskd.reload.PendingPlan;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the daemon announces, as one closed set: the log writes each as one line (its
 * {@link #name} as the message, its {@link #fields} as key-value pairs), {@code /v1/events}
 * streams the loop, reload and plan events, and metrics match the records they count. Each
 * package says what happened in its own terms ({@link LoopEvent}, {@link ReloadEvent},
 * {@link PendingPlan}); this family gathers them for those who report it, so that neither the
 * engine nor the reload manager depends on the log or the API.
 */
public sealed interface TaskdEvent permits TaskdEvent.Loop, TaskdEvent.Reload, TaskdEvent.Plan, DaemonEvent {

    /** The stable name: the log line's message; add names, never rename one. */
    String name();

    /** The facts, by name, in the order they are written; numbers are numbers. */
    Map<String, Object> fields();

    /** The levels the log writes events at. */
    enum Level { DEBUG, INFO, WARN }

    /** Whether the log writes it as a warning. */
    default boolean warning() {
        return false;
    }

    /** The level the log writes it at: a warning's WARN, else INFO unless the event says otherwise. */
    default Level level() {
        return warning() ? Level.WARN : Level.INFO;
    }

    /** What a loop did; its {@code loop_id} comes first. */
    record Loop(LoopEvent event) implements TaskdEvent {
        public String name() {
            return event.name();
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("loop_id", event.loopId());
            fields.putAll(event.fields());
            return Collections.unmodifiableMap(fields);
        }

        /** A model's reply carries its whole text: DEBUG, so that INFO logs hold no conversation. */
        public Level level() {
            return event instanceof LoopEvent.LlmReplied ? Level.DEBUG : Level.INFO;
        }
    }

    /**
     * A reload ended: {@code reload_applied}, {@code reload_unchanged}, or, as warnings,
     * {@code reload_rejected} and {@code reload_failed}. The stream carries the whole reload event.
     */
    record Reload(ReloadEvent event) implements TaskdEvent {
        public String name() {
            return "reload_" + event.result().label();
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("generation", event.generationAfter());
            fields.put("generation_before", event.generationBefore());
            fields.put("trigger", event.trigger().label());
            fields.put("changes", event.diff().size());
            fields.put("duration_ms", event.duration().toMillis());
            switch (event.result()) {
                case ReloadResult.Rejected rejected -> fields.put("reason", rejected.reason());
                case ReloadResult.Failed failed -> fields.put("error", failed.error());
                case ReloadResult.Applied applied -> fields.put("keys",
                        String.join(",", applied.changes().stream().map(Change::key).toList()));
                case ReloadResult.Unchanged unchanged -> { }
            }
            return Collections.unmodifiableMap(fields);
        }

        public boolean warning() {
            return switch (event.result()) {
                case ReloadResult.Rejected rejected -> true;
                case ReloadResult.Failed failed -> true;
                case ReloadResult.Applied applied -> false;
                case ReloadResult.Unchanged unchanged -> false;
            };
        }
    }

    /** Manual apply mode: a noticed change was planned, not applied; a {@code plan} on the stream. */
    record Plan(PendingPlan pending) implements TaskdEvent {
        public String name() {
            return "reload_planned";
        }

        public Map<String, Object> fields() {
            return ordered("trigger", pending.trigger().label(), "verdict", pending.plan().verdict().label(),
                    "generation", pending.plan().base(), "summary", pending.plan().summary());
        }
    }
}
