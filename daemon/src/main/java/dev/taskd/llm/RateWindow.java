package dev.taskd.llm;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} request starts in any sliding 60 s window, shared by every caller. The
 * limit is read on every start, so a reload applies to the next one; lowering it below the
 * starts already in the window only delays later starts. Not fair: a waiter that wakes first
 * takes the slot. Thread-safe; a lock rather than {@code synchronized} so that virtual threads
 * do not pin their carriers.
 */
final class RateWindow {

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final IntSupplier limit;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Long> starts = new ArrayDeque<>();

    RateWindow(IntSupplier limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /**
     * Records a start now and returns 0 when the window has room; otherwise records nothing and
     * returns how many nanoseconds until the oldest start leaves the window.
     */
    long tryStart() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            int allowed = limit.getAsInt();
            while (!starts.isEmpty() && now - starts.peekFirst() >= WINDOW_NANOS) {
                starts.pollFirst();
            }
            if (starts.size() < allowed) {
                starts.addLast(now);
                return 0;
            }
            int excess = starts.size() - allowed;
            long oldestThatMustLeave = starts.stream().skip(excess).findFirst().orElseThrow();
            return Math.max(1, oldestThatMustLeave + WINDOW_NANOS - now);
        } finally {
            lock.unlock();
        }
    }
}
