package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.config.LoopType;
import dev.taskd.process.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Everything one call of a loop type's {@code iterate(ctx)} sees, and the services behind
 * {@code ctx}: all a script can reach of the host is here. Grouped by where each part comes from,
 * so that a caller fills each group from one place and no part is told apart by position alone.
 *
 * @param script       the loop type's script
 * @param loop         what stays the same for every iteration of the loop
 * @param iteration    what this iteration starts from
 * @param host         the services behind {@code ctx}
 * @param cancellation stops the call (pause, cancel, iteration timeout)
 */
public record ScriptInvocation(LoopType.Script script, Loop loop, Iteration iteration, Host host,
                               Cancellation cancellation) {

    /**
     * The loop the call belongs to.
     *
     * @param id            the loop's id ({@code ctx.loopId})
     * @param inputs        the inputs it was submitted with ({@code ctx.input(name)})
     * @param maxIterations the loop type's {@code max-iterations}
     */
    public record Loop(String id, Map<String, String> inputs, int maxIterations) {

        public Loop {
            inputs = Map.copyOf(inputs);
        }
    }

    /**
     * This iteration and what came before it.
     *
     * @param number         1 for the loop's first iteration ({@code ctx.iteration})
     * @param prompt         the rendered prompt ({@code ""} when the type has none)
     * @param stateJson      the loop's state as a JSON object text ({@code "{}"} at first)
     * @param progress       summaries of recent iterations, each with the keys of
     *                       {@code TemplateVariables.PROGRESS_FIELDS}
     * @param previousOutput the end of the last output an iteration recorded ({@code ""} when none did)
     */
    public record Iteration(int number, String prompt, String stateJson, List<Map<String, Object>> progress,
                            String previousOutput) {

        public Iteration {
            progress = List.copyOf(progress);
        }
    }

    /**
     * The services behind {@code ctx}.
     *
     * @param workdir        the only directory {@code ctx.fs} and {@code ctx.exec} may use
     * @param commandTimeout the default timeout of {@code ctx.exec} when the script names none
     * @param commands       runs {@code ctx.exec} commands
     * @param render         renders a named template with variables ({@code ctx.render})
     * @param log            receives {@code ctx.log} messages
     * @param llm            answers {@code ctx.llm.chat}
     */
    public record Host(Path workdir, Duration commandTimeout, Commands commands,
                       BiFunction<String, Map<String, Object>, String> render, Consumer<String> log, LlmCalls llm) {
    }
}
