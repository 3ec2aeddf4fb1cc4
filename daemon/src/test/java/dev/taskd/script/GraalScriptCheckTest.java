package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.config.Finding;
import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GraalScriptCheckTest {

    private final GraalScriptCheck check = new GraalScriptCheck();

    @Test
    void aModuleExportingIterateIsFine() {
        assertThat(check.check(script("const n = 2;\nexport function iterate(ctx) { return n; }\n"))).isEmpty();
    }

    @Test
    void aSyntaxErrorNamesTheScriptsLineAndColumn() {
        Finding finding = check.check(script("export function iterate(ctx) {\n  return 1 +;\n}\n")).orElseThrow();

        assertThat(finding.file()).isEqualTo("loop-types/t.js");
        assertThat(finding.position()).isEqualTo(new Position(2, 13));
        assertThat(finding.message()).startsWith("script does not compile: SyntaxError: ");
    }

    @Test
    void theSandboxHoldsWhileTopLevelCodeRuns() {
        Finding finding = check.check(script("const f = Java.type('java.io.File');\nexport function iterate() {}\n"))
                .orElseThrow();

        assertThat(finding.message()).contains("Access to host class java.io.File is not allowed");
    }

    @Test
    void aLoopAtTheTopLevelIsStoppedNotWaitedFor() {
        Finding finding = check.check(script("for (;;) {}\nexport function iterate() {}\n")).orElseThrow();

        assertThat(finding.message()).contains("top-level code ran more than");
    }

    @Test
    void anExportThatIsNotAFunctionIsNamed() {
        Finding finding = check.check(script("export const iterate = 3;\n")).orElseThrow();

        assertThat(finding.message()).isEqualTo("script exports 'iterate' but it is not a function");
    }

    @Test
    void remembersOnlyTheMostRecentlyUsedResults() {
        GraalScriptCheck bounded = new GraalScriptCheck(2);
        bounded.check(script("export function iterate() { return 1; }\n"));
        bounded.check(script("export function iterate() { return 2; }\n"));
        bounded.check(script("export function iterate() { return 1; }\n"));

        Finding broken = bounded.check(script("export function iterate() { return 3 +; }\n")).orElseThrow();

        assertThat(bounded.remembered()).isEqualTo(2);
        assertThat(broken.message()).startsWith("script does not compile");
        assertThat(bounded.check(script("export function iterate() { return 2; }\n"))).isEmpty();
    }

    private static SourceFile script(String text) {
        return SourceFile.of(Path.of("/x/loop-types/t.js"), "loop-types/t.js", text.getBytes(StandardCharsets.UTF_8));
    }
}
