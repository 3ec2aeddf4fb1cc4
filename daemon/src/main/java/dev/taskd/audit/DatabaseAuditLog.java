package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.store.AuditTable;
import dev.taskd.store.StorageHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit log of a cluster: the one chain in PostgreSQL's {@code audit_log} that every node
 * appends to, each entry naming the node that wrote it ({@code node}, after {@code kind}).
 * Its lines are those of the file ({@link Chain}), so an export verifies as a file does.
 *
 * <p>An append is one transaction, serialised with every other node's (see
 * {@link AuditTable#append}); it is durable when it returns, as PostgreSQL's commit is. A
 * failed append leaves the table as it was and fails with the store's exception. Thread-safe.
 */
public final class DatabaseAuditLog implements AuditTrail {

    private final AuditTable table;
    private final ObjectNode head;
    private final String node;
    private final StorageHealth storage;

    private DatabaseAuditLog(AuditTable table, String node, StorageHealth storage) {
        this.table = table;
        this.node = node;
        this.head = Chain.JSON.createObjectNode().put("node", node);
        this.storage = storage;
    }

    /**
     * The log in {@code table}, appended to as {@code node}. It takes {@code table} over and
     * closes it; {@code storage} (the data dir's) stays the caller's.
     */
    public static DatabaseAuditLog open(AuditTable table, String node, StorageHealth storage) {
        return new DatabaseAuditLog(table, Objects.requireNonNull(node, "node"), storage);
    }

    @Override
    public AuditEntry append(String kind, ObjectNode event) {
        ObjectNode fields = Chain.fields(kind, event, head);
        ObjectNode[] written = new ObjectNode[1];
        AuditTable.Row row = table.append(Chain.NO_PREVIOUS, (seq, ts, prev) -> {
            ObjectNode line = Chain.line(seq, ts, prev, kind, head, fields);
            byte[] bytes = bytes(line);
            written[0] = line;
            return new AuditTable.Row(seq, ts, node, kind, new String(bytes, StandardCharsets.UTF_8), prev,
                    Chain.hash(bytes));
        });
        return new AuditEntry(row.seq(), row.ts(), kind, row.hash(), written[0]);
    }

    @Override
    public List<JsonNode> read(AuditQuery query) {
        List<JsonNode> page = new ArrayList<>();
        table.scan(query.afterSeq(), row -> {
            JsonNode entry = parse(row);
            if (query.matches(entry)) {
                page.add(entry);
            }
            return page.size() < query.limit();
        });
        return page;
    }

    /**
     * Checks the chain as a file's is checked, entry N standing for line N of an export, and
     * each row's columns against its entry: its hash column is the entry's SHA-256 (so an
     * edited entry is named, the last one too), its seq, prev and node columns the entry's.
     */
    @Override
    public VerifyResult verify() {
        Verifier verifier = new Verifier();
        VerifyResult[] broken = new VerifyResult[1];
        table.scan(0, row -> {
            byte[] bytes = row.entry().getBytes(StandardCharsets.UTF_8);
            broken[0] = verifier.next(bytes);
            if (broken[0] == null) {
                broken[0] = columnsDiffer(verifier.intact().lines(), row, bytes);
            }
            return broken[0] == null;
        });
        return broken[0] != null ? broken[0] : verifier.intact();
    }

    private static VerifyResult columnsDiffer(long n, AuditTable.Row row, byte[] bytes) {
        if (!row.hash().equals(Chain.hash(bytes))) {
            return VerifyResult.broken(n, "the row's hash column is not the SHA-256 of its entry (the entry was edited)");
        }
        ObjectNode entry = parse(row);
        if (row.seq() != n) {
            return VerifyResult.broken(n, "the row's seq column is " + row.seq() + ", its entry's " + n);
        }
        if (!row.prev().equals(entry.path("prev").asText()) || !row.node().equals(entry.path("node").asText())) {
            return VerifyResult.broken(n, "the row's prev or node column differs from its entry's");
        }
        return null;
    }

    @Override
    public void export(OutputStream out) throws IOException {
        try {
            table.scan(0, row -> {
                try {
                    out.write(row.entry().getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public String where() {
        return table.display();
    }

    @Override
    public StorageHealth storage() {
        return storage;
    }

    @Override
    public void close() {
        table.close();
    }

    private static byte[] bytes(ObjectNode line) {
        try {
            return Chain.JSON.writeValueAsBytes(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the audit entry: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode parse(AuditTable.Row row) {
        try {
            return Chain.parse(row.entry().getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit_log seq " + row.seq() + ": its entry is not valid JSON ("
                    + Chain.describe(e) + "); check the chain with 'taskd audit verify'", e);
        }
    }
}
