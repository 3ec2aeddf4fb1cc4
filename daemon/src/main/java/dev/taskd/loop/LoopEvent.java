package dev.taskd.loop;

import dev.taskd.store.IterationOutcome;
import dev.taskd.store.LoopState;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a loop did, as the engine announces it: a closed set, each with its stable name (the log
 * line's message, the {@code event} of a {@code loop} event on {@code /v1/events}) and its facts.
 * The names and field names are a contract with log readers and stream clients: add, never rename.
 */
public sealed interface LoopEvent {

    /** The stable name: {@code loop_submitted}, {@code iteration_completed}, ... */
    String name();

    String loopId();

    /** The facts besides the loop id, in the order they are written; numbers are numbers. */
    Map<String, Object> fields();

    record Submitted(String loopId, String type, int priority) implements LoopEvent {
        public String name() {
            return "loop_submitted";
        }

        public Map<String, Object> fields() {
            return ordered("type", type, "priority", priority);
        }
    }

    /** @param iteration the iteration it starts at */
    record Started(String loopId, String type, int iteration) implements LoopEvent {
        public String name() {
            return "loop_started";
        }

        public Map<String, Object> fields() {
            return ordered("type", type, "iteration", iteration);
        }
    }

    /** @param generation the generation it ran in */
    record IterationCompleted(String loopId, String type, int iteration, IterationOutcome outcome, Duration duration,
                              long generation) implements LoopEvent {
        public String name() {
            return "iteration_completed";
        }

        public Map<String, Object> fields() {
            return ordered("type", type, "iteration", iteration, "outcome", label(outcome),
                    "duration_ms", duration.toMillis(), "generation", generation);
        }
    }

    /**
     * A run ended, or a loop ended for good ({@link LoopLifecycle} says which moves are announced).
     *
     * @param reason null for a success without a result; written as ""
     */
    record Finished(String loopId, LoopState state, String reason) implements LoopEvent {
        public String name() {
            return "loop_finished";
        }

        public Map<String, Object> fields() {
            return ordered("state", label(state), "reason", reason == null ? "" : reason);
        }
    }

    /** A queued loop's type went away. */
    record Blocked(String loopId, String type) implements LoopEvent {
        public String name() {
            return "loop_blocked";
        }

        public Map<String, Object> fields() {
            return ordered("type", type);
        }
    }

    /** A blocked loop's type is back; it is queued again. */
    record Unblocked(String loopId, String type) implements LoopEvent {
        public String name() {
            return "loop_unblocked";
        }

        public Map<String, Object> fields() {
            return ordered("type", type);
        }
    }

    /** The runner broke (a bug, not the loop's doing); the loop failed. */
    record Errored(String loopId, String error) implements LoopEvent {
        public String name() {
            return "loop_error";
        }

        public Map<String, Object> fields() {
            return ordered("error", error);
        }
    }

    /** A script's {@code ctx.log}. */
    record Logged(String loopId, String message, int iteration) implements LoopEvent {
        public String name() {
            return "loop_log";
        }

        public Map<String, Object> fields() {
            return ordered("message", message, "iteration", iteration);
        }
    }

    /** @param model {@code provider/model}; {@code content} "" when the reply had none */
    record LlmReplied(String loopId, int iteration, String model, String content, int toolCalls, long tokensIn,
                      long tokensOut) implements LoopEvent {
        public String name() {
            return "llm_reply";
        }

        public Map<String, Object> fields() {
            return ordered("iteration", iteration, "model", model, "content", content, "tool_calls", toolCalls,
                    "tokens_in", tokensIn, "tokens_out", tokensOut);
        }
    }

    /** The loop takes {@code version} of its type, from {@code generation}. */
    record VersionAdopted(String loopId, String version, long generation) implements LoopEvent {
        public String name() {
            return "loop_version_adopted";
        }

        public Map<String, Object> fields() {
            return ordered("version", version, "generation", generation);
        }
    }

    /** The loop keeps {@code version}: the new one does not accept its inputs. */
    record VersionKept(String loopId, String version, String reason) implements LoopEvent {
        public String name() {
            return "loop_version_kept";
        }

        public Map<String, Object> fields() {
            return ordered("version", version, "reason", reason);
        }
    }

    /** A pinned loop's kept sources are gone; it goes on with the version in force. */
    record VersionLost(String loopId, String version, long generation, String reason) implements LoopEvent {
        public String name() {
            return "loop_version_lost";
        }

        public Map<String, Object> fields() {
            return ordered("version", version, "generation", generation, "reason", reason);
        }
    }

    /** A state or outcome as the API, the events and the metrics name it. */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }
}
