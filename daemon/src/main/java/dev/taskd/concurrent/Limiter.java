package dev.taskd.concurrent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * A counting limit whose size is read on every acquire, so a reload that changes it applies at
 * once: raising it admits waiters, lowering it never takes a permit back from a holder.
 * Uses a lock rather than {@code synchronized} so that waiting virtual threads do not pin
 * their carriers.
 */
public final class Limiter {

    private final IntSupplier limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int inUse;

    public Limiter(IntSupplier limit) {
        this.limit = limit;
    }

    /** Waits for a permit; re-checks the limit at least every 100 ms so that a raised limit is seen. */
    public void acquire() throws InterruptedException {
        lock.lock();
        try {
            while (inUse >= limit.getAsInt()) {
                released.await(100, TimeUnit.MILLISECONDS);
            }
            inUse++;
        } finally {
            lock.unlock();
        }
    }

    public void release() {
        lock.lock();
        try {
            inUse--;
            released.signal();
        } finally {
            lock.unlock();
        }
    }

    public int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }
}
