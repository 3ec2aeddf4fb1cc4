package dev.taskd.loop;

import dev.taskd.store.LoopState;
import java.util.Optional;

/**
 * Why a loop stopped running or waiting: the one vocabulary of a loop's ends, from the iteration
 * that decides it, through the control requests and the {@link LoopLifecycle}, to the store and
 * the API, which show {@link #state} and {@link #reason} as they are. The requests and
 * cancellations that stop a loop are translated into it here and nowhere else.
 */
sealed interface Ending {

    /** The state the loop is left in. */
    LoopState state();

    /** Why, as the store keeps it and the API and {@code loop_finished} show it; null for a plain success. */
    String reason();

    /** The validation passed or the script called {@code ctx.complete}; {@code reason} is its result, if any. */
    record Succeeded(String reason) implements Ending {
        public LoopState state() {
            return LoopState.SUCCEEDED;
        }
    }

    /** {@code ctx.fail}, a budget or max-iterations ran out, a dependency failed, an internal error. */
    record Failed(String reason) implements Ending {
        public LoopState state() {
            return LoopState.FAILED;
        }
    }

    /** A user cancelled the loop. */
    record Cancelled() implements Ending {
        public LoopState state() {
            return LoopState.CANCELLED;
        }

        public String reason() {
            return "cancelled";
        }
    }

    /** A user paused the loop; it waits for a resume. */
    record Paused() implements Ending {
        public LoopState state() {
            return LoopState.PAUSED;
        }

        public String reason() {
            return "paused";
        }
    }

    /** A drain ran out of time and cut the iteration off; the loop is queued again. */
    record Interrupted() implements Ending {
        public LoopState state() {
            return LoopState.QUEUED;
        }

        public String reason() {
            return "interrupted; resumes at its next iteration";
        }
    }

    /** The daemon stopped between iterations; the loop is queued again. */
    record Drained() implements Ending {
        public LoopState state() {
            return LoopState.QUEUED;
        }

        public String reason() {
            return "the daemon stopped; resumes on the next start";
        }
    }

    /** The loop's type is gone; it waits until a generation brings {@code type} back. */
    record Blocked(String type, String reason) implements Ending {
        public LoopState state() {
            return LoopState.BLOCKED;
        }
    }

    /**
     * What a request pending between iterations makes of the loop; empty for none. A pause asked
     * "now" is a pause all the same once no iteration runs.
     */
    static Optional<Ending> requested(LoopControl.Request request) {
        return switch (request) {
            case CANCEL -> Optional.of(new Cancelled());
            case PAUSE, PAUSE_NOW -> Optional.of(new Paused());
            case INTERRUPT -> Optional.of(new Interrupted());
            case DRAIN -> Optional.of(new Drained());
            case NONE -> Optional.empty();
        };
    }

    /**
     * What an iteration stopped from outside makes of the loop; empty for a timeout, after which
     * the loop goes on.
     */
    static Optional<Ending> stopped(Cancellation.Reason reason) {
        return switch (reason) {
            case CANCELLED -> Optional.of(new Cancelled());
            case PAUSED -> Optional.of(new Paused());
            case INTERRUPTED -> Optional.of(new Interrupted());
            case TIMED_OUT -> Optional.empty();
        };
    }
}
