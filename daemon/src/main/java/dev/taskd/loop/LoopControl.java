package dev.taskd.loop;

import dev.taskd.concurrent.Cancellation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the outside asks of one running loop — cancel, pause, pause now, interrupt for a drain —
 * and the iteration currently running, so the request reaches it within a second.
 * Thread-safe.
 */
final class LoopControl {

    /**
     * Requests in order of strength: a stronger one replaces a weaker one. {@code DRAIN} (the
     * daemon is stopping: end after this iteration) is the weakest, so a user's pause survives it.
     * {@code INTERRUPT} (the drain timed out) is the strongest: a pause pending then is lost and the
     * loop goes back to queued.
     */
    enum Request { NONE, DRAIN, PAUSE, PAUSE_NOW, CANCEL, INTERRUPT }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Request request = Request.NONE;
    private Cancellation current;
    /** The delay being waited out, for readers of the loop's state; null outside one. */
    private volatile Waiting.Delay delay;

    /**
     * Records the request (a stronger one wins) and stops the running iteration if the request
     * in force says so; {@code NONE} just re-applies the request in force to a new iteration.
     */
    void request(Request wanted) {
        Cancellation toCancel;
        Request effective;
        lock.lock();
        try {
            if (wanted.ordinal() > request.ordinal()) {
                request = wanted;
            }
            effective = request;
            toCancel = current;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (toCancel != null) {
            switch (effective) {
                case CANCEL -> toCancel.cancel(Cancellation.Reason.CANCELLED);
                case PAUSE_NOW -> toCancel.cancel(Cancellation.Reason.PAUSED);
                case INTERRUPT -> toCancel.cancel(Cancellation.Reason.INTERRUPTED);
                case DRAIN, PAUSE, NONE -> { }
            }
        }
    }

    Request request() {
        lock.lock();
        try {
            return request;
        } finally {
            lock.unlock();
        }
    }

    /** Starts an iteration: a cancellation that an already pending stop request fires at once. */
    Cancellation beginIteration() {
        Cancellation cancellation = new Cancellation();
        lock.lock();
        try {
            current = cancellation;
        } finally {
            lock.unlock();
        }
        request(Request.NONE);
        return cancellation;
    }

    void endIteration() {
        lock.lock();
        try {
            current = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits out the delay between iterations; returns early when a request arrives. Meanwhile
     * {@link #delay()} says until when.
     */
    void awaitDelay(Duration wait, boolean backoff) throws InterruptedException {
        if (!wait.isPositive()) {
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        delay = new Waiting.Delay(Instant.now().plus(wait), wait, backoff);
        lock.lock();
        try {
            while (request == Request.NONE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
            delay = null;
        }
    }

    /** The delay the loop waits out now, if it is between iterations. */
    Optional<Waiting.Delay> delay() {
        return Optional.ofNullable(delay);
    }
}
