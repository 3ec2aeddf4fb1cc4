package dev.taskd.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops one iteration from outside: its timeout, a cancel or pause of its loop, a drain that ran
 * out of time. Whatever the iteration is doing registers how to stop it (interrupt a script,
 * kill a process tree); {@link #cancel} runs those hooks once, from the cancelling thread.
 * Thread-safe.
 */
public final class Cancellation {

    /** Why an iteration was stopped. */
    public enum Reason { TIMED_OUT, CANCELLED, PAUSED, INTERRUPTED }

    private final List<Runnable> hooks = new ArrayList<>();
    private Reason reason;

    /** Stops the iteration; the first reason given wins. Returns false when it was already stopped. */
    public boolean cancel(Reason why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        RuntimeException failure = null;
        for (Runnable hook : toRun) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return true;
    }

    public synchronized Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    public boolean isCancelled() {
        return reason().isPresent();
    }

    /**
     * Runs {@code hook} on cancel, or at once when already cancelled. Close the returned
     * registration when the work it stops has ended, so a later cancel does not touch it.
     */
    public Registration onCancel(Runnable hook) {
        synchronized (this) {
            if (reason == null) {
                hooks.add(hook);
                return () -> {
                    synchronized (this) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** A registered hook; closing it unregisters it. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
