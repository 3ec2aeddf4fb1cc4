package dev.taskd.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.store.StorageHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The hash-chained audit log, wherever it is kept: the file {@code DATA_DIR/audit.jsonl} of a
 * daemon on SQLite ({@link AuditLog}), or the table every node of a cluster on PostgreSQL
 * appends to ({@link DatabaseAuditLog}). Both keep the same chain: a line is one JSON object,
 * {@code seq} counts from 1, {@code prev} is the SHA-256 of the line before, so
 * {@link #export} of either is a file {@link AuditLog#verify(java.nio.file.Path)} checks offline.
 * Thread-safe.
 */
public interface AuditTrail extends AutoCloseable {

    /**
     * Appends one entry, durable when this returns.
     *
     * @param kind  what the entry records, e.g. {@code reload}
     * @param event its fields (null: none); redacted on a copy, never changed
     * @throws IllegalArgumentException when {@code kind} is blank or the event has a field the
     *                                  line itself carries ({@code seq}, {@code ts}, ...)
     * @throws RuntimeException         when the entry cannot be written; the log is as before
     */
    AuditEntry append(String kind, ObjectNode event);

    /** The entries matching {@code query}, ordered by seq. */
    List<JsonNode> read(AuditQuery query);

    /** Checks the chain, up to the last append completed when it began. */
    VerifyResult verify();

    /**
     * Writes every entry, in seq order, one per line ending in a newline, byte for byte as its
     * hash was taken: JSON lines that {@link AuditLog#verify(java.nio.file.Path)} checks.
     */
    void export(OutputStream out) throws IOException;

    /** Where the log is kept, for people: a file's path, or the table and its database. */
    String where();

    /**
     * The data dir's health: an append to the file reports a full disk to it, and the reload
     * path that records the audit entry checks it before writing its snapshot there.
     */
    StorageHealth storage();

    /** Closes the log; later appends fail. */
    @Override
    void close();
}
