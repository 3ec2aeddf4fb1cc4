package dev.taskd.llm;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Limiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a {@link Cancellation} stop one call wherever it is: on cancel it aborts the request on
 * the wire, wakes a backoff or rate-limit sleep, and interrupts the caller only while it waits
 * for an in-flight permit (the one wait that cannot be woken otherwise). Used by the calling
 * thread; the cancel hook runs on the cancelling thread, under this object's lock.
 */
final class CallControl implements AutoCloseable {

    private final Cancellation cancellation;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private Cancellation.Registration registration;
    private CompletableFuture<?> onTheWire;
    private Thread waitingForPermit;
    private boolean interruptedByStop;

    private CallControl(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /** Watches {@code cancellation} until {@link #close}; stops at once when it is already cancelled. */
    static CallControl watch(Cancellation cancellation) {
        CallControl control = new CallControl(cancellation);
        control.registration = cancellation.onCancel(control::stop);
        return control;
    }

    boolean isStopped() {
        return stopped.isDone();
    }

    /** Why the call was stopped, for messages. */
    String reason() {
        return cancellation.reason().map(reason -> reason.name().toLowerCase()).orElse("stopped");
    }

    /** Takes a permit of {@code limiter}; returns false, holding none, when the call was stopped meanwhile. */
    boolean acquire(Limiter limiter) throws InterruptedException {
        lock.lock();
        try {
            if (isStopped()) {
                return false;
            }
            waitingForPermit = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        boolean acquired = false;
        InterruptedException interrupted = null;
        try {
            limiter.acquire();
            acquired = true;
        } catch (InterruptedException e) {
            interrupted = e;
        }
        boolean interruptedByStop = endPermitWait();
        if (interrupted != null && !interruptedByStop) {
            throw interrupted;
        }
        if (isStopped()) {
            if (acquired) {
                limiter.release();
            }
            return false;
        }
        return true;
    }

    /** Ends the wait for a permit; true when the stop hook interrupted it (its interrupt is then cleared). */
    private boolean endPermitWait() {
        lock.lock();
        try {
            waitingForPermit = null;
            if (interruptedByStop) {
                interruptedByStop = false;
                Thread.interrupted();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code future}, aborting it when the call is stopped. */
    <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException {
        lock.lock();
        try {
            onTheWire = future;
            if (isStopped()) {
                future.cancel(true);
            }
        } finally {
            lock.unlock();
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            lock.lock();
            onTheWire = null;
            lock.unlock();
        }
    }

    /** Sleeps {@code wait}; returns false at once when the call is stopped. */
    boolean sleep(Duration wait) throws InterruptedException {
        try {
            stopped.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return false;
        } catch (TimeoutException slept) {
            return true;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void stop() {
        lock.lock();
        try {
            stopped.complete(null);
            if (onTheWire != null) {
                onTheWire.cancel(true);
            }
            if (waitingForPermit != null) {
                interruptedByStop = true;
                waitingForPermit.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        registration.close();
    }
}
