package dev.taskd.store;

import dev.taskd.concurrent.Threads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The single writer with group commit. Callers on any thread {@link #submit} a write and block
 * until it is committed; the writer thread takes everything queued, runs it in one transaction
 * (one savepoint per write), commits once, and only then completes the callers. One fsync thus
 * serves every write that arrived while the previous commit was syncing.
 *
 * <p>Keeps the {@link LoopCounts}: loaded when it starts, replaced after each commit by one that
 * adds the {@link StateChange}s of the writes in it, and never touched when a write or its batch
 * rolls back, so they always equal what the store holds.
 *
 * <p>Owns the writing connection; nothing else touches it. A write that failed because the data
 * dir cannot be written is reported to the {@link StorageHealth} and fails with a
 * {@link StorageUnavailableException}; its transaction was rolled back, so it may be repeated.
 */
final class Writer {

    private static final int MAX_BATCH = 512;

    private final Backend backend;
    private final StorageHealth storage;
    private final LoopFences fences = new LoopFences();
    private Connection connection; // writer thread only once started; replaced when it broke
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Pending<Void> stop = new Pending<>("stop", null, c -> null, result -> StateChange.NONE, true);
    // Read side: submitters; write side: close. Guarantees nothing is queued behind `stop`.
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
    private final Thread thread;
    private boolean closed;
    private volatile long commits; // written by the writer thread only
    private volatile LoopCounts counts; // written by the writer thread only, after a commit

    /** Counts the loops by state in the store, then starts the writer thread. */
    Writer(Backend backend, Connection connection, StorageHealth storage) throws SQLException {
        this.backend = backend;
        this.connection = connection;
        this.storage = storage;
        this.counts = LoopCounts.of(LoopQueries.countsByState(connection));
        connection.setAutoCommit(false);
        // A platform thread: it holds the database connection, whose native calls (SQLite) would
        // pin a virtual thread's carrier anyway.
        this.thread = Threads.startPlatformDaemon("taskd-store-writer", this::run);
    }

    /**
     * Queues a write and waits, uninterruptibly, until it is committed or has failed: once
     * queued its fate no longer depends on the caller, and returning early would report a write
     * as undecided that is about to be durable. An interrupt stays set on the caller.
     *
     * @throws StoreException when the write or its commit failed, or the store is closed
     */
    <T> T submit(String operation, String loopId, Write<T> write) {
        return submit(operation, loopId, write, result -> StateChange.NONE);
    }

    /**
     * As {@link #submit(String, String, Write)} for a write that may move loops between states:
     * {@code change} maps its result to the move, which the counts take in when it commits.
     * {@code change} runs on the writer thread and must not throw.
     */
    <T> T submit(String operation, String loopId, Write<T> write, Function<? super T, StateChange> change) {
        return submit(new Pending<>(operation, loopId, write, change, true));
    }

    /**
     * Queues a write that need not survive a power loss, and returns without waiting: when a
     * batch holds only such writes it commits without syncing (SQLite's {@code synchronous=OFF}
     * for that commit); the next synced commit makes it durable too, the WAL being synced as a
     * whole. Writes are committed in the order they are queued, so a caller's later write
     * always lands after its earlier ones. It must not move a loop between states (the counts
     * take in only synced writes' moves). The future fails as {@link #submit} would throw.
     */
    <T> CompletableFuture<T> queueUnsynced(String operation, String loopId, Write<T> write) {
        Pending<T> pending = new Pending<>(operation, loopId, write, result -> StateChange.NONE, false);
        enqueue(pending);
        return pending.future;
    }

    private <T> T submit(Pending<T> pending) {
        enqueue(pending);
        try {
            return pending.future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(pending.describe() + ": " + e.getCause(), e.getCause());
        }
    }

    private void enqueue(Pending<?> pending) {
        closing.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("store is closed");
            }
            queue.add(pending);
        } finally {
            closing.readLock().unlock();
        }
    }

    /**
     * Refuses new writes, commits everything already queued, stops the thread and closes the
     * connection. Idempotent.
     *
     * @throws StoreException when the connection cannot be closed
     */
    void close() throws InterruptedException {
        closing.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(stop);
        } finally {
            closing.writeLock().unlock();
        }
        thread.join();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("close: " + e.getMessage(), e);
        }
    }

    /** The fences every write for a loop checks first; none are held outside a cluster. */
    LoopFences fences() {
        return fences;
    }

    /** Loops by state as of the last commit. Lock-free; any thread. */
    LoopCounts counts() {
        return counts;
    }

    /** Writes queued and not yet taken by the writer thread; for tests that build a batch. */
    int queued() {
        return queue.size();
    }

    /** Transactions committed so far; fewer than writes when group commit is working. */
    long commits() {
        return commits;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; close() ends it
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(stop);
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        if (commitTogether(batch)) {
            countCommitted(batch);
        }
        for (Pending<?> p : batch) {
            p.complete(storage);
        }
    }

    /** Runs the batch in one transaction; false when it broke, with every write marked failed. */
    private boolean commitTogether(List<Pending<?>> batch) {
        try {
            backend.beginBatch(connection, batch.stream().anyMatch(p -> p.synced));
            for (Pending<?> p : batch) {
                p.attempt(connection, fences);
            }
            connection.commit();
            commits++;
            return true;
        } catch (SQLException | RuntimeException e) {
            // The transaction itself broke (commit or a savepoint rollback failed): every write
            // that looked fine is lost with it and must be reported as failed.
            rollback(e);
            boolean full = storage.failed("commit", e);
            for (Pending<?> p : batch) {
                p.failIfUndecided(full ? storage.unavailable(e) : new StoreException("commit of " + batch.size()
                        + " writes failed at " + p.describe() + ": " + e.getMessage(), e));
            }
            return false;
        }
    }

    /**
     * Takes the state changes of the batch's writes that succeeded into the counts, after its
     * commit and before any caller returns, so that a caller who reads the counts after its write
     * sees it. A failed write's savepoint was rolled back: it changed nothing.
     */
    private void countCommitted(List<Pending<?>> batch) {
        List<StateChange> changes = new ArrayList<>();
        for (Pending<?> p : batch) {
            StateChange change = p.committedChange();
            if (change != StateChange.NONE) {
                changes.add(change);
            }
        }
        if (!changes.isEmpty()) {
            counts = counts.after(changes);
        }
    }

    /** Rolls the transaction back and begins the next; the backend recovers when that fails. */
    private void rollback(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            connection = backend.afterFailedRollback(connection, cause);
        }
    }

    /** A queued write and what became of it; touched only by the writer thread until done. */
    private static final class Pending<T> {
        private final String operation;
        private final String loopId;
        private final Write<T> write;
        private final Function<? super T, StateChange> change;
        private final boolean synced;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Pending(String operation, String loopId, Write<T> write, Function<? super T, StateChange> change,
                boolean synced) {
            this.operation = operation;
            this.loopId = loopId;
            this.write = write;
            this.change = change;
            this.synced = synced;
        }

        String describe() {
            return loopId == null ? operation : operation + " loop " + loopId;
        }

        /** Runs the write under a savepoint; throws only when the transaction is unusable. */
        void attempt(Connection c, LoopFences fences) throws SQLException {
            Savepoint savepoint = c.setSavepoint();
            try {
                fences.checkBeforeWrite(c, loopId, operation);
                result = write.apply(c);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                failure = e instanceof StoreException s ? s
                        : e instanceof SQLException
                                ? new StoreException(describe() + ": " + e.getMessage(), e)
                                : (RuntimeException) e;
                c.rollback(savepoint);
                c.releaseSavepoint(savepoint);
            }
        }

        /** What the write changed, once its transaction committed; {@code NONE} when it failed. */
        StateChange committedChange() {
            return failure == null ? change.apply(result) : StateChange.NONE;
        }

        void failIfUndecided(RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }

        /** Completes the caller; a failure for lack of storage becomes a {@link StorageUnavailableException}. */
        void complete(StorageHealth storage) {
            if (failure != null && !(failure instanceof StorageUnavailableException)
                    && storage.failed(describe(), failure)) {
                failure = storage.unavailable(failure);
            }
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }
    }
}
