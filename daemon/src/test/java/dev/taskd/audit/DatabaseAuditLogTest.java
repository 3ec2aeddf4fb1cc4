package dev.taskd.audit;

import static dev.taskd.audit.Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.store.AuditTable;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's audit log on a real PostgreSQL: three nodes' writers in one JVM, each on its own pool. */
class DatabaseAuditLogTest {

    private static final List<String> NODES = List.of("a", "b", "c");
    private static final int THREADS_PER_NODE = 3;
    private static final int APPENDS_PER_THREAD = 15;

    @TempDir
    Path dataDir;

    private PostgresTarget db;
    private Store store;
    private StorageHealth storage;
    private final List<DatabaseAuditLog> logs = new ArrayList<>();

    @BeforeEach
    void open() {
        db = PostgresServer.shared().newDatabase("audit");
        store = Store.open(db, dataDir); // creates the tables, as the daemon's store does
        storage = StorageHealth.unobserved(dataDir);
        for (String node : NODES) {
            logs.add(DatabaseAuditLog.open(AuditTable.open(db), node, storage));
        }
    }

    @AfterEach
    void close() {
        logs.forEach(DatabaseAuditLog::close);
        storage.close();
        store.close();
    }

    @Test
    void threeNodesAppendingAtOnceMakeOneUnbrokenChainWhoseEntriesNameTheirNodes() throws Exception {
        int total = appendFromEveryNodeAtOnce();

        VerifyResult result = logs.get(1).verify();
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.lines()).isEqualTo(total);
        List<JsonNode> entries = logs.get(2).read(AuditQuery.all());
        assertThat(entries).extracting(e -> e.get("seq").asLong())
                .as("seq 1..n without a gap").containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        Map<String, Integer> byNode = new TreeMap<>();
        for (JsonNode entry : entries) {
            String node = entry.get("node").asText();
            assertThat(entry.get("writer").asText()).as("entry " + entry.get("seq")).startsWith(node + "-");
            byNode.merge(node, 1, Integer::sum);
        }
        assertThat(byNode).isEqualTo(Map.of("a", total / 3, "b", total / 3, "c", total / 3));
    }

    @Test
    void anExportVerifiesOfflineAsAFileAndAnEditedExportedLineIsNamed() throws Exception {
        int total = appendFromEveryNodeAtOnce();
        Path export = dataDir.resolve("export.jsonl");
        try (OutputStream out = Files.newOutputStream(export)) {
            logs.get(0).export(out);
        }

        VerifyResult offline = AuditLog.verify(export);
        assertThat(offline.ok()).as(offline.message()).isTrue();
        assertThat(offline.lines()).isEqualTo(total);

        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        lines.set(9, lines.get(9).replace("\"note\":\"", "\"note\":\"edited "));
        Files.write(export, lines);
        VerifyResult edited = AuditLog.verify(export);
        assertThat(edited.message()).isEqualTo("line 11: prev does not match the SHA-256 of line 10");
    }

    @Test
    void anEditedRowIsNamedByItsOwnSeqAndARowWhoseHashWasRecomputedByTheNext() throws Exception {
        for (int i = 1; i <= 12; i++) {
            logs.get(i % 3).append("reload", json("{'note':'entry-" + i + "'}"));
        }
        sql("UPDATE audit_log SET entry = replace(entry, 'entry-7', 'entry-X') WHERE seq = 7");
        VerifyResult edited = logs.get(0).verify();
        assertThat(edited.brokenLine()).isEqualTo(7);
        assertThat(edited.message()).isEqualTo("line 7: the row's hash column is not the SHA-256 of its entry"
                + " (the entry was edited)");

        // Whoever also writes the matching hash is caught by the link from the next entry.
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        logs.get(0).export(exported);
        String seventh = exported.toString().lines().toList().get(6);
        sql("UPDATE audit_log SET hash = '" + Chain.hash(seventh.getBytes()) + "' WHERE seq = 7");
        assertThat(logs.get(1).verify().message()).isEqualTo("line 8: prev does not match the SHA-256 of line 7");

        sql("DELETE FROM audit_log WHERE seq = 8");
        assertThat(logs.get(1).verify().message()).as("a removed row").startsWith("line 8: seq is 9, expected 8");
    }

    @Test
    void readPagesAfterASeqAndAnEventMayNotCarryTheNodeField() {
        for (int i = 1; i <= 5; i++) {
            logs.get(0).append("reload", json("{'result':'" + (i % 2 == 0 ? "applied" : "rejected") + "'}"));
        }
        assertThat(logs.get(1).read(AuditQuery.builder().result("applied").build()))
                .extracting(e -> e.get("seq").asLong()).containsExactly(2L, 4L);
        assertThat(logs.get(1).read(AuditQuery.builder().afterSeq(2).limit(2).build()))
                .extracting(e -> e.get("seq").asLong()).containsExactly(3L, 4L);
        assertThatThrownBy(() -> logs.get(0).append("reload", json("{'node':'z'}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'node' is reserved");
        assertThat(logs.get(0).verify().lines()).as("the refused entry left nothing").isEqualTo(5);
    }

    /** Every node appends from several threads at once; returns how many entries were appended. */
    private int appendFromEveryNodeAtOnce() throws Exception {
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(NODES.size() * THREADS_PER_NODE)) {
            for (DatabaseAuditLog log : logs) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    String writer = NODES.get(logs.indexOf(log)) + "-" + t;
                    writers.add(threads.submit(() -> {
                        for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                            log.append("reload", json("{'writer':'" + writer + "','note':'" + i + "'}"));
                        }
                    }));
                }
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        }
        return NODES.size() * THREADS_PER_NODE * APPENDS_PER_THREAD;
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
