package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.script.ScriptResult.Errored;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** What a script cannot reach: each attempt is an error of the call, not of the daemon. */
class ScriptSandboxTest {

    private static final ScriptRunner RUNNER = new ScriptRunner();

    @TempDir
    Path workdir;

    @ParameterizedTest
    @ValueSource(strings = {
        "Java.type('java.lang.System').exit(1)",
        "Polyglot.eval('js', '1')",
        "load('/etc/passwd')",
        "require('fs')",
        "process.exit(1)",
        "java.lang.System.exit(1)",
        "ctx.exec.getClass()",
        "Object.getPrototypeOf(ctx.fs.read).constructor('return this')().Java.type('java.io.File')",
    })
    void hostAccessOutsideCtxIsAnError(String attempt) {
        ScriptResult result = RUNNER.run(new Invocations(workdir).of("export function iterate(ctx) {\n" + attempt + ";\n}\n"));

        assertThat(result).isInstanceOfSatisfying(Errored.class, errored -> assertThat(errored.where()).isEqualTo("fix.mjs:2"));
    }
}
