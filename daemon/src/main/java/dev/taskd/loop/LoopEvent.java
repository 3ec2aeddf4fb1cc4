package dev.taskd.loop;

import dev.taskd.store.IterationOutcome;
import dev.taskd.store.LoopState;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a loop did, as the engine announces it: a closed set, each with its stable {@link #name}
 * (the log line's message, the {@code event} of a {@code loop} event on {@code /v1/events}) and
 * its {@link #fields}. Names and field names are a contract with log readers and stream clients:
 * add, never rename.
 */
public sealed interface LoopEvent {

    /**
     * Every {@link #name}, for those who take a name from outside (the event stream's
     * {@code type} filter) and must tell a typo from an event that has not happened yet.
     */
    List<String> NAMES = List.of("loop_submitted", "loop_started", "iteration_completed", "loop_finished",
            "loop_blocked", "loop_unblocked", "loop_error", "loop_log", "llm_reply", "loop_version_adopted",
            "loop_version_kept", "loop_version_lost", "loop_awaiting_approval", "loop_approved", "loop_rejected",
            "loop_retried", "loop_stalled");

    String loopId();

    record Submitted(String loopId, String type, int priority) implements LoopEvent {
    }

    /** @param iteration the iteration it starts at */
    record Started(String loopId, String type, int iteration) implements LoopEvent {
    }

    /** @param generation the generation it ran in */
    record IterationCompleted(String loopId, String type, int iteration, IterationOutcome outcome, Duration duration,
                              long generation) implements LoopEvent {
    }

    /**
     * A run ended, or a loop ended for good ({@link LoopLifecycle} says which moves are announced).
     *
     * @param reason null for a success without a result; written as ""
     */
    record Finished(String loopId, LoopState state, String reason) implements LoopEvent {
    }

    /** A queued loop's type went away. */
    record Blocked(String loopId, String type) implements LoopEvent {
    }

    /** A blocked loop's type is back; it is queued again. */
    record Unblocked(String loopId, String type) implements LoopEvent {
    }

    /** The runner broke (a bug, not the loop's doing); the loop failed. */
    record Errored(String loopId, String error) implements LoopEvent {
    }

    /** A script's {@code ctx.log}. */
    record Logged(String loopId, String message, int iteration) implements LoopEvent {
    }

    /**
     * @param model {@code provider/model}; {@code content} "" when the reply had none
     * @param cost  at the provider's price for the model; 0 without one
     */
    record LlmReplied(String loopId, int iteration, String model, String content, int toolCalls, long tokensIn,
                      long tokensOut, String type, String provider, double cost) implements LoopEvent {
    }

    /** The loop takes {@code version} of its type, from {@code generation}. */
    record VersionAdopted(String loopId, String version, long generation) implements LoopEvent {
    }

    /** The loop keeps {@code version}: the new one does not accept its inputs. */
    record VersionKept(String loopId, String version, String reason) implements LoopEvent {
    }

    /** A pinned loop's kept sources are gone; it goes on with the version in force. */
    record VersionLost(String loopId, String version, long generation, String reason) implements LoopEvent {
    }

    /** The validation passed and the loop waits for a person to approve or reject it. */
    record AwaitingApproval(String loopId, String type, int iteration) implements LoopEvent {
    }

    /** A person approved the loop; it succeeded. */
    record Approved(String loopId, String actor) implements LoopEvent {
    }

    /** A person rejected the loop; it goes back to the queue with the reason. */
    record Rejected(String loopId, String actor, String reason) implements LoopEvent {
    }

    /** A person retried a failed or cancelled loop: queued again, up to iteration {@code limit}. */
    record Retried(String loopId, String actor, int iteration, int limit) implements LoopEvent {
    }

    /** The last {@code iterations} iterations changed nothing; the loop paused. */
    record Stalled(String loopId, String type, int iterations) implements LoopEvent {
    }

    /** The stable name: {@code loop_submitted}, {@code iteration_completed}, ... */
    default String name() {
        return switch (this) {
            case Submitted submitted -> "loop_submitted";
            case Started started -> "loop_started";
            case IterationCompleted completed -> "iteration_completed";
            case Finished finished -> "loop_finished";
            case Blocked blocked -> "loop_blocked";
            case Unblocked unblocked -> "loop_unblocked";
            case Errored errored -> "loop_error";
            case Logged logged -> "loop_log";
            case LlmReplied replied -> "llm_reply";
            case VersionAdopted adopted -> "loop_version_adopted";
            case VersionKept kept -> "loop_version_kept";
            case VersionLost lost -> "loop_version_lost";
            case AwaitingApproval awaiting -> "loop_awaiting_approval";
            case Approved approved -> "loop_approved";
            case Rejected rejected -> "loop_rejected";
            case Retried retried -> "loop_retried";
            case Stalled stalled -> "loop_stalled";
        };
    }

    /** The facts besides the loop id, in the order they are written; numbers are numbers. */
    default Map<String, Object> fields() {
        return switch (this) {
            case Submitted e -> ordered("type", e.type(), "priority", e.priority());
            case Started e -> ordered("type", e.type(), "iteration", e.iteration());
            case IterationCompleted e -> ordered("type", e.type(), "iteration", e.iteration(),
                    "outcome", label(e.outcome()), "duration_ms", e.duration().toMillis(),
                    "generation", e.generation());
            case Finished e -> ordered("state", label(e.state()), "reason", e.reason() == null ? "" : e.reason());
            case Blocked e -> ordered("type", e.type());
            case Unblocked e -> ordered("type", e.type());
            case Errored e -> ordered("error", e.error());
            case Logged e -> ordered("message", e.message(), "iteration", e.iteration());
            case LlmReplied e -> ordered("iteration", e.iteration(), "model", e.model(), "content", e.content(),
                    "tool_calls", e.toolCalls(), "tokens_in", e.tokensIn(), "tokens_out", e.tokensOut(), "cost", e.cost());
            case VersionAdopted e -> ordered("version", e.version(), "generation", e.generation());
            case VersionKept e -> ordered("version", e.version(), "reason", e.reason());
            case VersionLost e -> ordered("version", e.version(), "generation", e.generation(), "reason", e.reason());
            case AwaitingApproval e -> ordered("type", e.type(), "iteration", e.iteration());
            case Approved e -> ordered("actor", e.actor());
            case Rejected e -> ordered("actor", e.actor(), "reason", e.reason());
            case Retried e -> ordered("actor", e.actor(), "iteration", e.iteration(), "limit", e.limit());
            case Stalled e -> ordered("type", e.type(), "iterations", e.iterations());
        };
    }

    /** A state or outcome as the API, the events and the metrics name it. */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Names and values, alternating, as an unmodifiable map in that order. */
    static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }
}
