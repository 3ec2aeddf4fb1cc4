package dev.taskd.audit;

import static dev.taskd.audit.Events.file;
import static dev.taskd.audit.Events.json;
import static dev.taskd.audit.Events.lines;
import static dev.taskd.audit.Events.parse;
import static dev.taskd.audit.Events.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dataDir;

    @Test
    void chainContinuesAcrossReopen() throws Exception {
        List<AuditEntry> entries = new ArrayList<>();
        try (AuditLog log = AuditLog.open(dataDir)) {
            entries.add(log.append("reload", json("{'result':'applied'}")));
            entries.add(log.append("reload", json("{'result':'unchanged'}")));
        }
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).isEmpty();
            entries.add(log.append("reload", json("{'result':'failed'}")));
        }

        List<String> lines = lines(dataDir);
        assertThat(lines).hasSize(3);
        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(lines).extracting(l -> parse(l).get("seq").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(parse(lines.get(0)).get("prev").asText()).isEqualTo("0".repeat(64));
        assertThat(parse(lines.get(1)).get("prev").asText()).isEqualTo(sha256(lines.get(0)));
        assertThat(parse(lines.get(2)).get("prev").asText()).isEqualTo(sha256(lines.get(1)))
                .isEqualTo(entries.get(1).hash());
        assertThat(AuditLog.verify(file(dataDir)).ok()).isTrue();
    }

    @Test
    void lineStartsWithSeqTsPrevKindThenTheEventFields() throws Exception {
        try (AuditLog log = AuditLog.open(dataDir, Events.steppingClock())) {
            AuditEntry entry = log.append("reload", json("{'result':'applied','generation':{'before':1,'after':2}}"));
            assertThat(entry.ts()).isEqualTo(Events.T0);
            assertThat(entry.line().get("generation").get("after").asInt()).isEqualTo(2);
        }
        ObjectNode line = parse(lines(dataDir).getFirst());
        assertThat(line.fieldNames()).toIterable()
                .containsExactly("seq", "ts", "prev", "kind", "result", "generation");
        assertThat(Instant.parse(line.get("ts").asText())).isEqualTo(Events.T0);
        assertThat(line.get("kind").asText()).isEqualTo("reload");
    }

    @Test
    void secretsNeverReachTheFile() throws Exception {
        try (AuditLog log = AuditLog.open(dataDir)) {
            log.append("reload", json("{'changes':[{'key':'llm.providers.x.api-key-file','old':'/run/a','new':'/run/b'}],"
                    + "'actor':'ops','request':{'bearer_token':'s3cr3t'}}"));
        }
        String content = Files.readString(file(dataDir));
        assertThat(content).doesNotContain("/run/a", "/run/b", "s3cr3t")
                .contains("llm.providers.x.api-key-file", "\"actor\":\"ops\"", "\"***\"");
    }

    @Test
    void appendRefusesEventFieldsThatWouldShadowTheChain() {
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThatThrownBy(() -> log.append("reload", json("{'seq':99}")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'seq' is reserved");
            assertThatThrownBy(() -> log.append(" ", null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.append("reload", null).seq()).isEqualTo(1);
        }
    }

    @Test
    void appendAfterCloseFailsNamingTheFile() {
        AuditLog log = AuditLog.open(dataDir);
        log.close();
        assertThatThrownBy(() -> log.append("reload", null))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining(file(dataDir).toString()).hasMessageContaining("closed");
    }

    @Test
    void interruptedCallerStillAppendsAndKeepsItsInterrupt() throws Exception {
        try (AuditLog log = AuditLog.open(dataDir)) {
            Thread.currentThread().interrupt();
            try {
                log.append("reload", null);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(log.append("reload", null).seq()).isEqualTo(2);
        }
    }

    @Test
    void concurrentAppendsFromFiftyVirtualThreadsKeepAValidChain() throws Exception {
        int threads = 50;
        int each = 4;
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Queue<Long> seqs = new ConcurrentLinkedQueue<>();
        try (AuditLog log = AuditLog.open(dataDir)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                started.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            seqs.add(log.append("reload", json("{'writer':" + writer + ",'n':" + i + "}")).seq());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            start.countDown();
            for (Thread t : started) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(log.verify().message()).isEqualTo("ok: 200 entries, chain intact");
        }
        assertThat(seqs).hasSize(threads * each).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= 200);
        assertThat(lines(dataDir)).hasSize(threads * each);
    }
}
