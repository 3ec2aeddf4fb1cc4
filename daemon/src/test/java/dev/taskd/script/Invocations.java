package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.config.LoopType;
import dev.taskd.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds invocations of a script for tests, with a real shell behind {@code ctx.exec}. */
final class Invocations {

    final Path workdir;
    final RecordingCommands commands = new RecordingCommands();
    final Cancellation cancellation = new Cancellation();
    final List<String> log = new ArrayList<>();
    Map<String, String> inputs = Map.of();
    String stateJson = "{}";
    List<Map<String, Object>> progress = List.of();

    Invocations(Path workdir) {
        this.workdir = workdir;
    }

    static LoopType.Script script(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new LoopType.Script(SourceFile.of(Path.of("/etc/taskd/loop-types/fix.mjs"), "loop-types/fix.mjs", bytes));
    }

    ScriptInvocation of(String scriptText) {
        return new ScriptInvocation(script(scriptText), new ScriptInvocation.Loop("01LOOP", inputs, 10),
                new ScriptInvocation.Iteration(3, "the prompt", stateJson, progress, "last output"),
                new ScriptInvocation.Host(workdir, Duration.ofSeconds(20), commands, (name, vars) -> name + ":" + vars,
                        log::add, LlmCalls.NONE),
                cancellation);
    }
}
