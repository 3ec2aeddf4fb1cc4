package dev.taskd.loop;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.store.LoopState;
import java.util.Optional;

/**
 * Why a loop stopped running or waiting: the one vocabulary of a loop's ends, from the iteration
 * that decides it, through the control requests and the {@link LoopLifecycle}, to the store and
 * the API, which show {@link #state} and {@link #reason} as they are. The requests and
 * cancellations that stop a loop are translated into it here and nowhere else.
 */
sealed interface Ending {

    /** The reason a loop awaiting approval shows when its success has no result of its own. */
    String AWAITING_REASON = "validation passed; awaiting approval";

    /** The validation passed or the script called {@code ctx.complete}, with its {@code result} (null for none). */
    record Succeeded(String result) implements Ending {
    }

    /**
     * The validation passed, and the loop type wants a person's approval before success; the
     * {@code result} (null for none) becomes the success's when approved.
     */
    record AwaitingApproval(String result) implements Ending {
    }

    /** The last {@code iterations} iterations ended the same way and changed nothing; the loop pauses. */
    record Stalled(int iterations) implements Ending {
    }

    /** {@code ctx.fail}, a budget or max-iterations ran out, a dependency failed, an internal error. */
    record Failed(String why) implements Ending {
    }

    /** A user cancelled the loop. */
    record Cancelled() implements Ending {
    }

    /** A user paused the loop; it waits for a resume. */
    record Paused() implements Ending {
    }

    /** A drain ran out of time and cut the iteration off; the loop is queued again. */
    record Interrupted() implements Ending {
    }

    /** The daemon stopped between iterations; the loop is queued again. */
    record Drained() implements Ending {
    }

    /** The loop's {@code type} is gone; it waits until a generation brings it back. */
    record Blocked(String type, String why) implements Ending {
    }

    /** The state the loop is left in. */
    default LoopState state() {
        return switch (this) {
            case Succeeded succeeded -> LoopState.SUCCEEDED;
            case AwaitingApproval awaiting -> LoopState.AWAITING_APPROVAL;
            case Stalled stalled -> LoopState.PAUSED;
            case Failed failed -> LoopState.FAILED;
            case Cancelled cancelled -> LoopState.CANCELLED;
            case Paused paused -> LoopState.PAUSED;
            case Interrupted interrupted -> LoopState.QUEUED;
            case Drained drained -> LoopState.QUEUED;
            case Blocked blocked -> LoopState.BLOCKED;
        };
    }

    /** Why, as the store keeps it and the API and {@code loop_finished} show it; null for a plain success. */
    default String reason() {
        return switch (this) {
            case Succeeded succeeded -> succeeded.result();
            case AwaitingApproval awaiting -> awaiting.result() == null ? AWAITING_REASON : awaiting.result();
            case Stalled stalled -> "no progress in " + stalled.iterations() + " iterations";
            case Failed failed -> failed.why();
            case Cancelled cancelled -> "cancelled";
            case Paused paused -> "paused";
            case Interrupted interrupted -> "interrupted; resumes at its next iteration";
            case Drained drained -> "the daemon stopped; resumes on the next start";
            case Blocked blocked -> blocked.why();
        };
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
