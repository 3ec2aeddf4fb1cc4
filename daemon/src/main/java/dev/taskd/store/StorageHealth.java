package dev.taskd.store;

import dev.taskd.concurrent.Threads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.sqlite.SQLiteException;

/**
 * Whether the data dir can be written now: the one place taskd keeps that fact. The store's
 * writer, the audit log, the snapshots and the loops' output files report their failures here
 * ({@link #failed}); a failure for lack of space or of a working file system makes the data dir
 * <em>unwritable</em>, and so does free space below {@link #RESERVE_BYTES}. While it is, callers
 * that must not wait are refused ({@link #requireWritable}), and loops wait at their next write
 * ({@link #awaitWritable}).
 *
 * <p>Once a second a virtual thread looks at the free space; while the data dir is unwritable it
 * also writes, syncs and deletes a small probe file, and when that succeeds with the reserve free
 * the data dir is writable again and every waiter wakes. No restart is needed.
 *
 * <p>Thread-safe. {@link #writable()} is one volatile read, cheap enough for the iteration path.
 * The listener is told of each transition on the thread that caused it, outside any lock.
 */
public final class StorageHealth implements AutoCloseable {

    /** Free space below this makes the data dir count as full: room for a commit, a log line, a snapshot. */
    public static final long RESERVE_BYTES = 1024 * 1024;

    static final Duration CHECK_PERIOD = Duration.ofSeconds(1);
    private static final String PROBE_FILE = ".storage-probe";
    private static final int PROBE_BYTES = 64 * 1024;

    /**
     * What is known of the data dir: whether it is writable, why not (empty when it is), its free
     * space when last looked at, and since when this holds.
     */
    public record Status(boolean writable, String reason, long freeBytes, Instant since) {
    }

    /** Told of each transition; must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {
        void changed(Path dataDir, Status now);
    }

    private final Path dataDir;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong becameUnwritable = new AtomicLong();
    private final AtomicLong becameWritable = new AtomicLong();
    private final Thread checker;
    private volatile Status status;
    private volatile boolean closed;

    /** Starts watching {@code dataDir}, which must exist. */
    public StorageHealth(Path dataDir, Listener listener) {
        this.dataDir = dataDir;
        this.listener = listener;
        this.status = new Status(true, "", freeBytes(), Instant.now());
        this.checker = Threads.startVirtual("storage-check", this::checkEverySecond);
    }

    /** A health nobody listens to: for a store or log opened on its own (tests, tools). */
    public static StorageHealth unobserved(Path dataDir) {
        return new StorageHealth(dataDir, (dir, now) -> { });
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean writable() {
        return status.writable();
    }

    public Status status() {
        return status;
    }

    /** How many times the data dir became unwritable, and writable again, since the start. */
    public long transitions(boolean toWritable) {
        return toWritable ? becameWritable.get() : becameUnwritable.get();
    }

    /** @throws StorageUnavailableException when the data dir is unwritable now */
    public void requireWritable() {
        if (!writable()) {
            throw unavailable(null);
        }
    }

    /**
     * The refusal callers give while the data dir is unwritable: names the data dir, the reason
     * and the free space now, and keeps {@code cause} when there is one.
     */
    public StorageUnavailableException unavailable(Throwable cause) {
        Status now = status;
        String message = "the data dir " + dataDir + " is not writable: "
                + (now.writable() ? "a write failed" : now.reason()) + " (" + freeBytes() + " bytes free);"
                + " free space there: taskd resumes within seconds, without a restart";
        return cause == null ? new StorageUnavailableException(message)
                : new StorageUnavailableException(message, cause);
    }

    /**
     * Reports a failed write of {@code what}. When {@code failure} shows the data dir cannot be
     * written ({@link #isStorageFailure}), the data dir becomes unwritable (if it was not already)
     * and this returns true; the caller should then report {@link #unavailable}.
     */
    public boolean failed(String what, Throwable failure) {
        if (!isStorageFailure(failure)) {
            return false;
        }
        becomeUnwritable(what + ": " + describe(failure));
        return true;
    }

    /**
     * Waits until the data dir is writable, or {@code giveUp} says to stop waiting (looked at
     * every 250 ms and at each transition).
     *
     * @return whether the data dir is writable
     */
    public boolean awaitWritable(BooleanSupplier giveUp) throws InterruptedException {
        lock.lock();
        try {
            while (!status.writable() && !giveUp.getAsBoolean()) {
                changed.await(250, TimeUnit.MILLISECONDS);
            }
            return status.writable();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code failure}, or one of its causes, says the file system cannot take the write:
     * SQLite's {@code SQLITE_FULL}, {@code SQLITE_IOERR} or {@code SQLITE_READONLY}, or an I/O
     * error for no space ({@code ENOSPC}), a quota ({@code EDQUOT}), a read-only file system or
     * an I/O error ({@code EIO}). A constraint violation or a bug is not one.
     */
    public static boolean isStorageFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                int primary = sqlite.getResultCode().code & 0xff;
                if (primary == 13 || primary == 10 || primary == 8) { // FULL, IOERR, READONLY
                    return true;
                }
            }
            if (t instanceof IOException || t instanceof SQLException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("no space left on device") || message.contains("disk quota exceeded")
                        || message.contains("read-only file system") || message.contains("input/output error")
                        || message.contains("sqlite_full") || message.contains("sqlite_ioerr")
                        || message.contains("database or disk is full")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private void becomeUnwritable(String reason) {
        Status now;
        lock.lock();
        try {
            if (!status.writable()) {
                return;
            }
            now = new Status(false, reason, freeBytes(), Instant.now());
            status = now;
            becameUnwritable.incrementAndGet();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listener.changed(dataDir, now);
    }

    private void becomeWritable() {
        Status now;
        lock.lock();
        try {
            if (status.writable()) {
                return;
            }
            now = new Status(true, "", freeBytes(), Instant.now());
            status = now;
            becameWritable.incrementAndGet();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listener.changed(dataDir, now);
    }

    private void checkEverySecond() {
        while (!closed) {
            try {
                Thread.sleep(CHECK_PERIOD);
            } catch (InterruptedException e) {
                return; // close()
            }
            check();
        }
    }

    /** One look: free space while writable; free space and a probe write while not. */
    void check() {
        long free = freeBytes();
        Status now = status;
        if (now.writable()) {
            if (free < RESERVE_BYTES) {
                becomeUnwritable("only " + free + " bytes are free, below the reserve of " + RESERVE_BYTES);
            }
            return;
        }
        if (free >= RESERVE_BYTES && probe()) {
            becomeWritable();
        } else {
            status = new Status(false, now.reason(), free, now.since());
        }
    }

    /** Writes, syncs and deletes a small file in the data dir: does a real write succeed now? */
    private boolean probe() {
        Path file = dataDir.resolve(PROBE_FILE);
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.allocate(PROBE_BYTES);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left for the next probe to truncate and delete.
            }
        }
    }

    private long freeBytes() {
        return dataDir.toFile().getUsableSpace();
    }

    /** Stops the checks; waiters see the last status. */
    @Override
    public void close() {
        closed = true;
        checker.interrupt();
    }
}
