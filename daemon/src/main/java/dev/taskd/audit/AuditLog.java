package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.StorageUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The audit log {@code DATA_DIR/audit.jsonl}: append-only, one JSON object per line, each line
 * holding {@code seq} (1, 2, ...), {@code ts}, {@code prev} (SHA-256 of the previous line's bytes,
 * 64 zeros for the first) and {@code kind}, then the event's fields, redacted by
 * {@link Redactor}.
 *
 * <p>Thread-safe: appends are serialised by one lock; reads and verification run beside them on
 * their own file handle and see every append that had returned when they began.
 *
 * <p>Durability: {@link #append} returns only after the line is written and the file forced to
 * disk, so whatever a caller reports afterwards survives a crash. A crash during an append
 * leaves at most a torn last line, which the next {@link #open} cuts away and records as a
 * {@code repair} entry. A failed append truncates the file back to where it was; if even that
 * fails (or the writing thread was interrupted, which closes the file), later appends fail until
 * the log is reopened. An append that fails for lack of space is reported to the
 * {@link StorageHealth} and fails with {@link StorageUnavailableException}. One process per data
 * directory is assumed; nothing here locks the file.
 */
public final class AuditLog implements AuditTrail {

    static final String FILE_NAME = "audit.jsonl";
    /** A file line has nothing between {@code kind} and the event's fields. */
    private static final ObjectNode NO_HEAD = Chain.JSON.createObjectNode();

    private final Path file;
    private final FileChannel channel;
    private final Clock clock;
    private final StorageHealth storage;
    private final boolean ownsStorage;
    private final ReentrantLock lock = new ReentrantLock();
    private Optional<String> repaired = Optional.empty();
    private long lastSeq;
    private String lastHash;
    private long lines;
    private Exception broken;
    private volatile long end;

    private AuditLog(Path file, FileChannel channel, Clock clock, LogTail tail, StorageHealth storage,
                     boolean ownsStorage) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.lastSeq = tail.lastSeq();
        this.lastHash = tail.lastHash();
        this.lines = tail.lines();
        this.end = tail.end();
    }

    /**
     * Opens (creating when missing) {@code dataDir/audit.jsonl}, cutting away a torn last line
     * and auditing that repair; {@link #repaired()} tells what was done.
     *
     * @throws AuditException when the file cannot be opened or repaired, or its last complete
     *                        line cannot be chained to (the message names the line)
     */
    public static AuditLog open(Path dataDir) {
        return open(dataDir, Clock.systemUTC());
    }

    /**
     * Opens the log as {@link #open(Path)} does, reporting an append that fails for lack of
     * space to {@code storage} and failing it with {@link StorageUnavailableException} (the log
     * as before). The caller keeps and closes {@code storage}.
     */
    public static AuditLog open(Path dataDir, StorageHealth storage) {
        return open(dataDir, Clock.systemUTC(), storage, false);
    }

    static AuditLog open(Path dataDir, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new AuditException(dataDir.resolve(FILE_NAME), 0, "cannot open: " + e, e);
        }
        StorageHealth storage = StorageHealth.unobserved(dataDir);
        try {
            return open(dataDir, clock, storage, true);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static AuditLog open(Path dataDir, Clock clock, StorageHealth storage, boolean ownsStorage) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            boolean created = Files.notExists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (created) {
                Durable.syncDirectory(dataDir);
            }
            LogTail tail = LogTail.scan(file, channel);
            AuditLog log = new AuditLog(file, channel, clock, tail, storage, ownsStorage);
            if (tail.torn() != null) {
                log.repair(tail.torn());
            }
            return log;
        } catch (IOException | RuntimeException e) {
            Durable.closeQuietly(channel, e);
            throw e instanceof AuditException audit ? audit
                    : new AuditException(file, 0, "cannot open: " + e, e);
        }
    }

    private void repair(LogTail.Torn torn) throws IOException {
        channel.truncate(end);
        channel.force(true);
        ObjectNode event = Chain.JSON.createObjectNode()
                .put("line", torn.line())
                .put("removed_bytes", torn.removedBytes())
                .put("reason", torn.reason());
        AuditEntry entry = append("repair", event);
        repaired = Optional.of(file + ":" + torn.line() + ": removed a torn last line (" + torn.removedBytes()
                + " bytes, " + torn.reason() + "); recorded as seq " + entry.seq());
    }

    /** What {@link #open} repaired, in one line for the daemon's log; empty when nothing was torn. */
    public Optional<String> repaired() {
        return repaired;
    }

    /**
     * Appends one entry and forces it to disk before returning.
     *
     * @param kind  what the entry records, e.g. {@code reload}
     * @param event its fields (null: none); redacted on a copy, never changed
     * @throws IllegalArgumentException when {@code kind} is blank or the event has a field named
     *                                  {@code seq}, {@code ts}, {@code prev} or {@code kind}
     * @throws AuditException           when the line cannot be written or synced
     */
    @Override
    public AuditEntry append(String kind, ObjectNode event) {
        ObjectNode fields = Chain.fields(kind, event, NO_HEAD);
        lock.lock();
        try {
            if (!channel.isOpen()) {
                throw new AuditException(file, 0, "closed (by close(), or by an interrupt during an append);"
                        + " reopen the log to append");
            }
            if (broken != null && !retryUndo()) {
                throw new AuditException(file, lines + 1, "an earlier append failed and could not be undone;"
                        + " reopen the log to repair it", broken);
            }
            Instant ts = clock.instant();
            ObjectNode line = Chain.line(lastSeq + 1, ts, lastHash, kind, NO_HEAD, fields);
            byte[] bytes = Chain.JSON.writeValueAsBytes(line);
            write(bytes);
            lastSeq++;
            lastHash = Chain.hash(bytes);
            lines++;
            return new AuditEntry(lastSeq, ts, kind, lastHash, line);
        } catch (JsonProcessingException e) {
            throw new AuditException(file, lines + 1, "cannot serialise the entry: " + e.getOriginalMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes one line at {@link #end} and syncs it; on failure, truncates back. Holds {@link #lock}. */
    private void write(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
        // An interrupt would close the channel mid-write; keep it for after the sync instead.
        boolean interrupted = Thread.interrupted();
        long at = end;
        try {
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.force(true);
            end = at;
        } catch (IOException e) {
            AuditException failure = undo(e);
            if (storage.failed("append to " + file, e)) {
                throw storage.unavailable(failure);
            }
            throw failure;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Removes the partial line a failed append left, once the file system lets it (a full disk
     * that got space back): then appends go on without a reopen. Holds {@link #lock}.
     */
    private boolean retryUndo() {
        try {
            channel.truncate(end);
            channel.force(true);
            broken = null;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private AuditException undo(IOException e) {
        try {
            channel.truncate(end);
            channel.force(true);
            return new AuditException(file, lines + 1, "append failed, the log is as before: " + e, e);
        } catch (IOException undo) {
            e.addSuppressed(undo);
            broken = e;
            return new AuditException(file, lines + 1, "append failed and the partial line could not be removed"
                    + " (it is repaired on the next open): " + e, e);
        }
    }

    /**
     * The entries matching {@code query}, ordered by seq.
     *
     * @throws AuditException when the file cannot be read or a line is not JSON (naming the line)
     */
    @Override
    public List<JsonNode> read(AuditQuery query) {
        List<JsonNode> page = new ArrayList<>();
        try (FileChannel reading = FileChannel.open(file, StandardOpenOption.READ)) {
            LineReader reader = new LineReader(reading, end);
            for (LineReader.Line line = reader.next(); line != null && page.size() < query.limit(); line = reader.next()) {
                JsonNode entry = parse(line);
                if (query.matches(entry)) {
                    page.add(entry);
                }
            }
        } catch (IOException e) {
            throw new AuditException(file, 0, "cannot read: " + e, e);
        }
        return page;
    }

    private JsonNode parse(LineReader.Line line) {
        try {
            return Chain.parse(line.bytes());
        } catch (JsonProcessingException e) {
            throw new AuditException(file, line.number(), "not valid JSON: " + Chain.describe(e)
                    + "; check the chain with 'taskd audit verify'", e);
        }
    }

    /** Checks the chain up to the last completed append; see {@link #verify(Path)}. */
    @Override
    public VerifyResult verify() {
        return verify(file, end);
    }

    /**
     * Checks a log file offline: every line is JSON, seq counts up by one from 1, and every
     * {@code prev} is the SHA-256 of the line before. A change to the last line cannot be seen:
     * no line after it holds its hash.
     *
     * @throws AuditException when the file cannot be read
     */
    public static VerifyResult verify(Path file) {
        return verify(file, Long.MAX_VALUE);
    }

    private static VerifyResult verify(Path file, long limit) {
        try (FileChannel reading = FileChannel.open(file, StandardOpenOption.READ)) {
            return Verifier.verify(reading, limit);
        } catch (IOException e) {
            throw new AuditException(file, 0, "cannot read: " + e, e);
        }
    }

    /** Whether the data dir can be written now; appends report their failures to it. */
    @Override
    public StorageHealth storage() {
        return storage;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** Copies the file up to the last completed append: it is already JSON lines. */
    @Override
    public void export(OutputStream out) throws IOException {
        try (FileChannel reading = FileChannel.open(file, StandardOpenOption.READ)) {
            WritableByteChannel target = Channels.newChannel(out);
            long limit = end;
            for (long at = 0; at < limit; ) {
                long copied = reading.transferTo(at, limit - at, target);
                if (copied <= 0) {
                    throw new IOException(file + " ends at byte " + at + ", before its last append (" + limit + ")");
                }
                at += copied;
            }
        }
    }

    /** Closes the file; later appends fail. Waits for an append in progress. */
    @Override
    public void close() {
        lock.lock();
        try {
            channel.close();
        } catch (IOException e) {
            throw new AuditException(file, 0, "cannot close: " + e, e);
        } finally {
            lock.unlock();
            if (ownsStorage) {
                storage.close();
            }
        }
    }
}
