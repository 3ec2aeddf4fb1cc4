package dev.taskd.audit;

import static dev.taskd.audit.Events.file;
import static dev.taskd.audit.Events.json;
import static dev.taskd.audit.Events.lines;
import static dev.taskd.audit.Events.writeLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyTest {

    @TempDir
    Path dataDir;

    @BeforeEach
    void tenEntries() {
        try (AuditLog log = AuditLog.open(dataDir)) {
            for (int i = 1; i <= 10; i++) {
                log.append("reload", json("{'note':'entry-" + i + "'}"));
            }
        }
    }

    @Test
    void intactChainVerifies() {
        VerifyResult result = AuditLog.verify(file(dataDir));
        assertThat(result.ok()).isTrue();
        assertThat(result.message()).isEqualTo("ok: 10 entries, chain intact");
    }

    @Test
    void editingOneByteOfAMiddleLineBreaksTheLinkFromTheNextLine() throws Exception {
        List<String> lines = new ArrayList<>(lines(dataDir));
        lines.set(5, lines.get(5).replace("entry-6", "entry-X"));
        writeLines(dataDir, lines);

        VerifyResult result = AuditLog.verify(file(dataDir));
        assertThat(result.ok()).isFalse();
        assertThat(result.brokenLine()).isEqualTo(7);
        assertThat(result.message()).isEqualTo("line 7: prev does not match the SHA-256 of line 6");
    }

    @Test
    void deletingAMiddleLineBreaksTheSequenceWhereItWas() throws Exception {
        List<String> lines = new ArrayList<>(lines(dataDir));
        lines.remove(3);
        writeLines(dataDir, lines);

        VerifyResult result = AuditLog.verify(file(dataDir));
        assertThat(result.brokenLine()).isEqualTo(4);
        assertThat(result.reason()).startsWith("seq is 5, expected 4");
    }

    @Test
    void deletingTheFirstLineIsSeen() throws Exception {
        List<String> lines = new ArrayList<>(lines(dataDir));
        lines.removeFirst();
        writeLines(dataDir, lines);

        assertThat(AuditLog.verify(file(dataDir)).message()).startsWith("line 1: seq is 2, expected 1");
    }

    @Test
    void lineThatIsNotJsonIsNamed() throws Exception {
        List<String> lines = new ArrayList<>(lines(dataDir));
        lines.set(2, "not json");
        writeLines(dataDir, lines);

        VerifyResult result = AuditLog.verify(file(dataDir));
        assertThat(result.brokenLine()).isEqualTo(3);
        assertThat(result.reason()).startsWith("not valid JSON");
        assertThat(result.lines()).isEqualTo(2);
    }

    @Test
    void tornLastLineIsReportedOffline() throws Exception {
        Files.writeString(file(dataDir), "{\"seq\":11,\"ts\"", StandardOpenOption.APPEND);

        VerifyResult result = AuditLog.verify(file(dataDir));
        assertThat(result.brokenLine()).isEqualTo(11);
        assertThat(result.reason()).contains("no trailing newline");
    }

    @Test
    void openLogVerifiesWhatItHasWritten() {
        try (AuditLog log = AuditLog.open(dataDir)) {
            log.append("reload", null);
            assertThat(log.verify().message()).isEqualTo("ok: 11 entries, chain intact");
        }
    }

    @Test
    void emptyFileVerifies() throws Exception {
        Path empty = Files.createFile(dataDir.resolve("empty.jsonl"));
        assertThat(AuditLog.verify(empty).message()).isEqualTo("ok: 0 entries, chain intact");
    }

    @Test
    void missingFileIsAnAuditExceptionNamingIt() {
        Path missing = dataDir.resolve("missing.jsonl");
        assertThatThrownBy(() -> AuditLog.verify(missing))
                .isInstanceOf(AuditException.class).hasMessageStartingWith(missing + ": cannot read");
    }

    @Test
    void anExportOfTheFileIsItsLinesAsChainedAndVerifiesOffline() throws Exception {
        Path export = dataDir.resolve("export.jsonl");
        try (AuditLog log = AuditLog.open(dataDir); OutputStream out = Files.newOutputStream(export)) {
            log.export(out);
        }
        assertThat(Files.readAllLines(export)).isEqualTo(lines(dataDir));
        assertThat(AuditLog.verify(export).message()).isEqualTo("ok: 10 entries, chain intact");
    }
}
