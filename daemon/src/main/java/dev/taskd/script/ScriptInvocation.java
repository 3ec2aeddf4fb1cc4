package dev.taskd.script;

import dev.taskd.config.LoopType;
import dev.taskd.loop.Cancellation;
import dev.taskd.loop.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Everything one call of a loop type's {@code iterate(ctx)} sees, and the services behind
 * {@code ctx}: all a script can reach of the host is here.
 *
 * @param stateJson    the loop's state as a JSON object text ({@code "{}"} at first)
 * @param progress     summaries of recent iterations, each with the keys of
 *                     {@code TemplateVariables.PROGRESS_FIELDS}
 * @param workdir      the only directory {@code ctx.fs} and {@code ctx.exec} may use
 * @param commandTimeout the default timeout of {@code ctx.exec} when the script names none
 * @param render       renders a named template with variables ({@code ctx.render})
 * @param log          receives {@code ctx.log} messages
 * @param llm          answers {@code ctx.llm.chat}
 */
public record ScriptInvocation(LoopType.Script script, String loopId, Map<String, String> inputs, int iteration,
                               int maxIterations, String prompt, String stateJson,
                               List<Map<String, Object>> progress, String previousOutput, Path workdir,
                               Duration commandTimeout, Commands commands, Cancellation cancellation,
                               BiFunction<String, Map<String, Object>, String> render, Consumer<String> log,
                               LlmCalls llm) {

    public ScriptInvocation {
        inputs = Map.copyOf(inputs);
        progress = List.copyOf(progress);
    }
}
