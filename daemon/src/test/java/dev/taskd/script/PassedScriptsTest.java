package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script verdicts kept across starts. A broken script whose pass was planted in the file shows
 * whether a verdict was trusted (no finding) or the script evaluated (a finding).
 */
class PassedScriptsTest {

    private static final SourceFile GOOD = script("fix.js", "export function iterate(ctx) { return 1; }\n");
    private static final SourceFile BROKEN = script("fix.js", "export function iterate(ctx) { return 1 +; }\n");

    @TempDir
    Path dataDir;

    @Test
    void aRestartTrustsWhatTheLastStartSawPass() throws Exception {
        plantPass(BROKEN);

        GraalScriptCheck restart = GraalScriptCheck.rememberingAcrossStarts();
        restart.dataDirectory(dataDir);

        assertThat(restart.check(BROKEN)).isEmpty();
    }

    @Test
    void aChangedScriptIsEvaluatedAgain() throws Exception {
        plantPass(BROKEN);
        SourceFile edited = script("fix.js", "export function iterate(ctx) { return 2 +; }\n");

        GraalScriptCheck restart = GraalScriptCheck.rememberingAcrossStarts();
        restart.dataDirectory(dataDir);

        assertThat(restart.check(edited)).isPresent();
        assertThat(restart.check(script("other.js", BROKEN.text()))).as("same content, another file").isPresent();
    }

    @Test
    void aStartWritesItsPassesAndNotItsFailures() throws Exception {
        GraalScriptCheck start = GraalScriptCheck.rememberingAcrossStarts();
        start.dataDirectory(dataDir);
        assertThat(start.check(GOOD)).isEmpty();
        assertThat(start.check(script("bad.js", BROKEN.text()))).isPresent();

        start.rememberPassesForNextStart();

        PassedScripts written = PassedScripts.readFrom(dataDir);
        assertThat(written.knownToPass(GOOD)).isTrue();
        assertThat(written.knownToPass(script("bad.js", BROKEN.text()))).isFalse();
        assertThat(Files.readAllLines(dataDir.resolve(PassedScripts.FILE_NAME))).hasSize(2).first().asString()
                .startsWith("# taskd: ");
    }

    @Test
    void theFileHoldsTheLastStartsPassesOnly() throws Exception {
        plantPass(script("old.js", "export function iterate() {}\n"));

        GraalScriptCheck start = GraalScriptCheck.rememberingAcrossStarts();
        start.dataDirectory(dataDir);
        start.check(GOOD);
        start.rememberPassesForNextStart();

        PassedScripts written = PassedScripts.readFrom(dataDir);
        assertThat(written.knownToPass(GOOD)).isTrue();
        assertThat(written.knownToPass(script("old.js", "export function iterate() {}\n"))).isFalse();
    }

    @Test
    void anotherGraalJsVersionChecksEverythingAgain() throws Exception {
        PassedScripts before = PassedScripts.readFrom(dataDir, "25.0.3");
        before.passed(GOOD);
        before.write();

        assertThat(PassedScripts.readFrom(dataDir, "25.0.3").knownToPass(GOOD)).isTrue();
        assertThat(PassedScripts.readFrom(dataDir, "26.0.0").knownToPass(GOOD)).isFalse();
        assertThat(PassedScripts.readFrom(dataDir, "").knownToPass(GOOD)).as("unknown version").isFalse();
    }

    @Test
    void aGarbledFileIsIgnoredAndReplaced() throws Exception {
        Files.write(dataDir.resolve(PassedScripts.FILE_NAME), new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '\n'});

        GraalScriptCheck start = GraalScriptCheck.rememberingAcrossStarts();
        start.dataDirectory(dataDir);
        assertThat(start.check(BROKEN)).isPresent();
        assertThat(start.check(GOOD)).isEmpty();
        start.rememberPassesForNextStart();

        assertThat(PassedScripts.readFrom(dataDir).knownToPass(GOOD)).isTrue();
    }

    @Test
    void aPlainCheckerNeverReadsTheFile() throws Exception {
        plantPass(BROKEN);

        GraalScriptCheck validate = new GraalScriptCheck();
        validate.dataDirectory(dataDir);

        assertThat(validate.check(BROKEN)).isPresent();
    }

    @Test
    void readingAMissingDataDirectoryCreatesNothing() throws Exception {
        Path missing = dataDir.resolve("not-yet");

        GraalScriptCheck start = GraalScriptCheck.rememberingAcrossStarts();
        start.dataDirectory(missing);
        assertThat(start.check(GOOD)).isEmpty();

        assertThat(missing).doesNotExist();
    }

    private void plantPass(SourceFile script) throws Exception {
        PassedScripts verdicts = PassedScripts.readFrom(dataDir);
        verdicts.passed(script);
        verdicts.write();
    }

    private static SourceFile script(String name, String text) {
        return SourceFile.of(Path.of("/cfg/loop-types", name), "loop-types/" + name, text.getBytes(StandardCharsets.UTF_8));
    }
}
