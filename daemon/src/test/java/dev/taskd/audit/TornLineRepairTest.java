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
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TornLineRepairTest {

    private static final String HALF_LINE = "{\"seq\":4,\"ts\":\"2025-01-";

    @TempDir
    Path dataDir;

    private void threeEntries() {
        try (AuditLog log = AuditLog.open(dataDir)) {
            for (int i = 1; i <= 3; i++) {
                log.append("reload", json("{'result':'applied'}"));
            }
        }
    }

    @Test
    void halfWrittenLastLineIsCutAwayAndTheRepairIsAuditedInTheChain() throws Exception {
        threeEntries();
        Files.writeString(file(dataDir), HALF_LINE, StandardOpenOption.APPEND);

        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).hasValueSatisfying(message -> assertThat(message)
                    .contains("audit.jsonl:4: removed a torn last line (" + HALF_LINE.length() + " bytes,")
                    .contains("no trailing newline").endsWith("recorded as seq 4"));
        }

        List<String> lines = lines(dataDir);
        assertThat(lines).hasSize(4);
        assertThat(String.join("\n", lines)).doesNotContain(HALF_LINE);
        ObjectNode repair = parse(lines.get(3));
        assertThat(repair.get("kind").asText()).isEqualTo("repair");
        assertThat(repair.get("seq").asLong()).isEqualTo(4);
        assertThat(repair.get("prev").asText()).isEqualTo(sha256(lines.get(2)));
        assertThat(repair.get("removed_bytes").asLong()).isEqualTo(HALF_LINE.length());
        assertThat(repair.get("reason").asText()).isEqualTo("no trailing newline");
        assertThat(AuditLog.verify(file(dataDir)).ok()).isTrue();
    }

    @Test
    void appendsAfterARepairContinueTheChain() throws Exception {
        threeEntries();
        Files.writeString(file(dataDir), HALF_LINE, StandardOpenOption.APPEND);
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.append("reload", null).seq()).isEqualTo(5);
        }
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).isEmpty();
            assertThat(log.verify().message()).isEqualTo("ok: 5 entries, chain intact");
        }
    }

    @Test
    void terminatedLastLineThatIsNotJsonIsCutAway() throws Exception {
        threeEntries();
        Files.write(file(dataDir), new byte[] {0, 0, 0, 0, '\n'}, StandardOpenOption.APPEND);

        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).hasValueSatisfying(message -> assertThat(message)
                    .contains("(5 bytes, not valid JSON"));
        }
        assertThat(parse(lines(dataDir).get(3)).get("removed_bytes").asInt()).isEqualTo(5);
        assertThat(AuditLog.verify(file(dataDir)).ok()).isTrue();
    }

    @Test
    void tornOnlyLineIsReplacedByARepairThatStartsTheChain() throws Exception {
        Files.writeString(file(dataDir), HALF_LINE);
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).isPresent();
        }
        ObjectNode repair = parse(lines(dataDir).getFirst());
        assertThat(repair.get("seq").asLong()).isEqualTo(1);
        assertThat(repair.get("prev").asText()).isEqualTo("0".repeat(64));
        assertThat(AuditLog.verify(file(dataDir)).ok()).isTrue();
    }

    @Test
    void cleanLogIsLeftAlone() throws Exception {
        threeEntries();
        byte[] before = Files.readAllBytes(file(dataDir));
        try (AuditLog log = AuditLog.open(dataDir)) {
            assertThat(log.repaired()).isEmpty();
        }
        assertThat(Files.readAllBytes(file(dataDir))).isEqualTo(before);
    }

    @Test
    void damageBeforeATornLineIsNotRepairedButNamed() throws Exception {
        threeEntries();
        List<String> lines = lines(dataDir);
        Files.writeString(file(dataDir), lines.get(0) + "\n" + "garbage\n" + HALF_LINE);
        byte[] before = Files.readAllBytes(file(dataDir));

        assertThatThrownBy(() -> AuditLog.open(dataDir))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("audit.jsonl:2: is not valid JSON")
                .hasMessageContaining("taskd audit verify");
        assertThat(Files.readAllBytes(file(dataDir))).isEqualTo(before);
    }
}
