package dev.taskd.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The durable record of loops and their iterations: SQLite in WAL mode ({@code DATA_DIR/taskd.db},
 * one node), or PostgreSQL, which several nodes share; same tables, meaning and schema versions.
 *
 * <p>Thread-safe. Every write returns only after its transaction is committed and synced, so
 * whatever a caller reports afterwards survives a crash. Writes from all threads go through one
 * writer thread that commits them in groups; a write that fails fails only its own caller.
 * Reads run on the caller's thread beside the writer and see the last commit before they began.
 *
 * <p>Failures are {@link StoreException}s naming the operation and loop, with the driver's
 * exception as the cause.
 */
public final class Store implements AutoCloseable {

    static final String FILE_NAME = "taskd.db";

    private final Backend backend;
    private final Writer writer;
    private final Reads reads;
    private final Clock clock;
    private final StorageHealth storage;
    private final boolean ownsStorage;
    private final LoopNotes notes;

    private Store(Backend backend, Connection writeConnection, Clock clock, StorageHealth storage,
                  boolean ownsStorage) throws SQLException {
        this.backend = backend;
        this.writer = new Writer(backend, writeConnection, storage);
        this.reads = backend.reads();
        this.clock = clock;
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.notes = new LoopNotes(writer, reads);
    }

    /**
     * Loads the SQLite driver and unpacks its native library (a few hundred milliseconds), so
     * that a later {@link #open} finds them ready; opens no database. The daemon calls it on a
     * background thread while it validates its configuration. Thread-safe. A failure is left for
     * {@link #open} to meet and report with the database's path.
     */
    public static void preload() {
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // Deliberately dropped: see above; open() raises it again.
        }
    }

    /**
     * Opens (creating when missing) {@code dataDir/taskd.db} and its schema, with a
     * {@link StorageHealth} of its own that nobody listens to; closing the store closes it.
     *
     * @throws StoreException when the directory or file cannot be created or opened, or the
     *                        file was written by a newer taskd
     */
    public static Store open(Path dataDir) {
        createDirectories(dataDir);
        return open(new SqliteBackend(dataDir.resolve(FILE_NAME)), StorageHealth.unobserved(dataDir), true);
    }

    /**
     * Opens the store as {@link #open(Path)} does, reporting write failures to {@code storage} (a
     * write the data dir cannot take fails with {@link StorageUnavailableException}, rolled back);
     * the caller keeps and closes {@code storage}.
     */
    public static Store open(Path dataDir, StorageHealth storage) {
        createDirectories(dataDir);
        return open(new SqliteBackend(dataDir.resolve(FILE_NAME)), storage, false);
    }

    /**
     * Opens a node's store in the PostgreSQL database {@code target} names, which other nodes of
     * its cluster share, creating or migrating its tables under an advisory lock (so that openers
     * starting together migrate once). The caller keeps and closes {@code storage}.
     *
     * @throws StoreException when the database cannot be reached or holds a newer schema
     */
    public static Store open(PostgresTarget target, StorageHealth storage) {
        return open(new PostgresBackend(target), storage, false);
    }

    /** As {@link #open(PostgresTarget, StorageHealth)}, beside other openers, with a health of its own. */
    public static Store open(PostgresTarget target, Path dataDir) {
        createDirectories(dataDir);
        return open(new PostgresBackend(target), StorageHealth.unobserved(dataDir), true);
    }

    private static void createDirectories(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("open " + dataDir.resolve(FILE_NAME) + ": cannot create " + dataDir + ": " + e, e);
        }
    }

    private static Store open(Backend backend, StorageHealth storage, boolean ownsStorage) {
        Connection c = null;
        try {
            c = backend.openWriter();
            return new Store(backend, c, Clock.systemUTC(), storage, ownsStorage);
        } catch (SQLException | RuntimeException e) {
            StoreException failure = e instanceof StoreException s ? s
                    : new StoreException("open " + backend.describe() + ": " + e.getMessage(), e);
            Rows.closeQuietly(c, failure);
            backend.close();
            if (ownsStorage) {
                storage.close();
            }
            throw failure;
        }
    }

    /** @throws StoreException when a loop with the same id exists */
    public void insertLoop(LoopRecord loop) {
        writer.submit("insert", loop.id(), c -> LoopWrites.insertLoop(c, loop),
                inserted -> new StateChange.Inserted(loop.state()));
    }

    /**
     * Inserts a loop and the {@code Idempotency-Key} that made it in one transaction, so that a
     * crash leaves both or neither; in the same transaction deletes the keys created before
     * {@code sweepBefore}, which have expired.
     *
     * @throws StoreException when a loop with the same id, or an unexpired row of the key, exists
     *                        (nothing is then written)
     */
    public void insertLoop(LoopRecord loop, IdempotencyRecord key, Instant sweepBefore) {
        if (!key.loopId().equals(loop.id())) {
            throw new IllegalArgumentException("key " + key.key() + " names loop " + key.loopId() + ", not " + loop.id());
        }
        writer.submit("insert with Idempotency-Key " + key.key(), loop.id(), c -> {
            IdempotencyRows.sweep(c, sweepBefore);
            IdempotencyRows.insert(c, key);
            return LoopWrites.insertLoop(c, loop);
        }, inserted -> new StateChange.Inserted(loop.state()));
    }

    /** The key's record when it was created at or after {@code notBefore}; an older one has expired. */
    public Optional<IdempotencyRecord> idempotencyKey(String key, Instant notBefore) {
        return reads.read("read Idempotency-Key " + key, c -> IdempotencyRows.read(c, key, notBefore));
    }

    /**
     * Moves a loop from {@code from} to {@code to} only if it is in {@code from} now, so two
     * racing transitions cannot both win and a finished loop cannot finish again.
     *
     * @return false when the loop is not in {@code from} (or does not exist); nothing changed
     */
    public boolean updateLoopState(String id, LoopState from, LoopState to, String reason) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return writer.submit("update state " + from + "->" + to + " of", id,
                c -> LoopWrites.updateState(c, id, from, to, reason, clock.instant()),
                moved -> StateChange.movedIf(moved, from, to));
    }

    /** Replaces the loop's state JSON. @throws StoreException when there is no such loop */
    public void saveState(String id, String stateJson) {
        Objects.requireNonNull(stateJson, "stateJson");
        writer.submit("save state of", id, c -> LoopWrites.saveState(c, id, stateJson, clock.instant()));
    }

    /**
     * Records a finished iteration and sets the loop's iteration count to its number, in one
     * transaction.
     *
     * @throws StoreException when this iteration number is already recorded for the loop (the
     *                        count is then unchanged) or the loop does not exist
     */
    public void recordIteration(IterationRecord iteration) {
        writer.submit("record iteration " + iteration.number() + " of", iteration.loopId(), c -> LoopWrites.recordIteration(c, iteration, clock.instant()));
    }

    /**
     * Moves a queued loop to running and marks its iteration {@code number} in progress, in one
     * transaction: a loop's start and its first iteration's start are one commit, not two.
     *
     * @return false when the loop is not queued (or does not exist); nothing changed
     */
    public boolean startLoop(String id, int number, Instant startedAt) {
        return writer.submit("start iteration " + number + " of", id,
                c -> LoopWrites.startLoop(c, id, number, startedAt),
                started -> StateChange.movedIf(started, LoopState.QUEUED, LoopState.RUNNING));
    }

    /**
     * Marks iteration {@code number} of the loop as in progress, so that a restart after a crash
     * records it {@code interrupted} and kills its command. Like {@link #recordCommand}, committed
     * without waiting for the disk's sync, and returns at once: the mark must outlive a crash of
     * the daemon (the kernel's page cache survives it), not a crash of the machine, which ends
     * the iteration's command too; a mark lost with the machine leaves the iteration to run
     * again, under the same number, when its loop resumes. It lands before any write the caller
     * queues later — its commands' records and the iteration's end. The future fails with a
     * {@link StoreException} when the mark could not be written.
     */
    public CompletableFuture<Void> beginIteration(String loopId, int number, Instant startedAt) {
        return writer.queueUnsynced("begin iteration " + number + " of", loopId,
                c -> LoopWrites.beginIteration(c, loopId, number, startedAt));
    }

    /**
     * Records the command the loop's iteration in progress runs now — its process group, the
     * leader's start time, its cgroup (or null) — replacing the one before, so that a restart
     * after a crash can kill it. Committed without waiting for the disk's sync: it must outlive
     * a crash of the daemon, which leaves the kernel's page cache to be written, not a crash of
     * the machine, which ends the command too. A later synced commit syncs it as well.
     *
     * <p>Returns at once, while the command runs: the record is committed within a commit or two,
     * after every write the caller queued before and before any it queues after (so a loop's
     * next command, or the end of its iteration, always lands later). The future fails with a
     * {@link StoreException} when the record could not be written.
     */
    public CompletableFuture<Void> recordCommand(String loopId, long pgid, long pgidStart, String cgroup) {
        return writer.queueUnsynced("record the command of", loopId,
                c -> LoopWrites.recordCommand(c, loopId, pgid, pgidStart, cgroup));
    }

    /**
     * Records a finished iteration, the state it left and the end of its in-progress mark in one
     * transaction: after a crash either all of it is there or none.
     *
     * @throws StoreException when this iteration number is already recorded for the loop
     */
    public void finishIteration(IterationRecord iteration, String stateJson) {
        finishIteration(iteration, stateJson, null, null);
    }

    /**
     * As {@link #finishIteration(IterationRecord, String)}, and in the same transaction moves the
     * loop from running to {@code end} when one is given: an iteration that ends its loop and the
     * loop's end are one fact, so a crash between them cannot make the loop run, or end, twice.
     *
     * @return whether the loop moved to {@code end}
     */
    public boolean finishIteration(IterationRecord iteration, String stateJson, LoopState end, String reason) {
        Objects.requireNonNull(stateJson, "stateJson");
        return writer.submit("finish iteration " + iteration.number() + " of", iteration.loopId(),
                c -> LoopWrites.finishIteration(c, iteration, stateJson, end, reason, clock.instant()),
                ended -> StateChange.movedIf(ended, LoopState.RUNNING, end));
    }

    /**
     * Records that a running loop adopted another version of its type, found in generation
     * {@code generation}: a restart rebuilds that version, not the one it was submitted with.
     */
    public void adoptVersion(String id, String typeVersion, long generation) {
        Objects.requireNonNull(typeVersion, "typeVersion");
        writer.submit("adopt version " + typeVersion + " for", id,
                c -> LoopWrites.adoptVersion(c, id, typeVersion, generation, clock.instant()));
    }

    /** The generations that unfinished loops run on: their snapshots must be kept. */
    public Set<Long> generationsInUse() {
        return reads.read("list generations in use", LoopQueries::generationsInUse);
    }

    /**
     * A fact about the data dir kept across starts ({@code meta} table): the last applied
     * generation, the event-id reservation. Empty when never written.
     */
    public Optional<String> meta(String key) {
        return reads.read("read meta " + key, c -> MetaRows.read(c, key));
    }

    /** Sets a fact about the data dir, durably, replacing what was there. */
    public void putMeta(String key, String value) {
        putMeta(Map.of(key, value));
    }

    /** Sets facts about the data dir, durably and together, replacing what was there. */
    public void putMeta(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        writer.submit("write meta " + copy.keySet(), null, c -> {
            for (Map.Entry<String, String> entry : copy.entrySet()) {
                MetaRows.write(c, entry.getKey(), entry.getValue());
            }
            return null;
        });
    }

    /** Iterations marked in progress: after a start, the ones a crash or kill cut off. */
    public List<RunningIteration> cutOffIterations() {
        return reads.read("list cut-off iterations", LoopQueries::cutOff);
    }

    public Optional<LoopRecord> loop(String id) {
        return reads.read("read loop " + id, c -> LoopQueries.loop(c, id));
    }

    /**
     * One page of loops in id order (which is creation order), oldest first or newest first.
     *
     * @param state   only loops in this state, or null for all
     * @param type    only loops of this type, or null for all
     * @param afterId start after this id in that order (the last id of the previous page), or null
     */
    public List<LoopRecord> loops(LoopState state, String type, int limit, String afterId, boolean newestFirst) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " < 1");
        }
        return reads.read("list loops", c -> LoopQueries.page(c, state, type, limit, afterId, newestFirst));
    }

    /** The loop's iterations by number. Empty when it has none or does not exist. */
    public List<IterationRecord> iterations(String loopId) {
        return reads.read("read iterations of loop " + loopId, c -> LoopQueries.iterations(c, loopId));
    }

    /** Loops a restart resumes (not terminal), highest priority first, then oldest first. */
    public List<LoopRecord> unfinished() {
        return reads.read("list unfinished loops", LoopQueries::unfinished);
    }

    /**
     * Number of loops in every state, zero included, in {@link LoopState} order, as of the last
     * commit; unmodifiable. Kept in memory by the writer (counted once at open, then moved by
     * every committed write), so this costs no query and takes no lock, whatever the number of
     * loops. Any thread.
     */
    public Map<LoopState, Long> countsByState() {
        return writer.counts().byState();
    }

    /**
     * The one loop whose id starts with {@code idPrefix}, or empty when none does.
     *
     * @throws StoreException when more than one loop matches
     */
    public Optional<LoopRecord> findByPrefix(String idPrefix) {
        if (idPrefix == null || idPrefix.isEmpty()) {
            throw new IllegalArgumentException("loop id prefix is empty");
        }
        return reads.read("find loop by prefix " + idPrefix, c -> LoopQueries.onlyByPrefix(c, idPrefix));
    }

    /** Commits the writes already queued, stops the writer, closes the connections; idempotent. Later writes fail. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("close interrupted while the writer drained", e);
        } finally {
            backend.close();
            if (ownsStorage) {
                storage.close();
            }
        }
    }

    /** What people did to loops, and the moves they made. */
    public LoopNotes notes() {
        return notes;
    }

    /** Whether the data dir can be written now, and where failures of it are reported. */
    public StorageHealth storage() {
        return storage;
    }

    /** The writer, for fenced writes ({@link FencedLoop}) and tests that submit writes of their own. */
    Writer writer() {
        return writer;
    }

    /** The fences of the loops this node claimed in a cluster; every write for such a loop checks its own. */
    public LoopFences fences() {
        return writer.fences();
    }

    /** Transactions the writer has committed; for tests and metrics. */
    long commits() {
        return writer.commits();
    }
}
