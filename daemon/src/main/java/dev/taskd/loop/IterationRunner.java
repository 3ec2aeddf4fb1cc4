package dev.taskd.loop;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Threads;
import dev.taskd.config.Durations;
import dev.taskd.config.LoopType;
import dev.taskd.llm.ChatRequest;
import dev.taskd.llm.ChatResponse;
import dev.taskd.llm.LlmException;
import dev.taskd.llm.ReplySink;
import dev.taskd.process.CommandRequest;
import dev.taskd.process.CommandResult;
import dev.taskd.process.Commands;
import dev.taskd.process.TextOutput;
import dev.taskd.script.LlmCalls;
import dev.taskd.script.ScriptInvocation;
import dev.taskd.script.ScriptResult;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.IterationOutcome;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopRecord;
import dev.taskd.template.Renderer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Runs one iteration: render the prompt, run the action (script or command), run the validation
 * command, all within {@code iteration-timeout}, and say what it means for the loop. Reads one
 * {@link Generation} throughout. Never throws for anything a loop type or its commands do.
 */
final class IterationRunner {

    /** The loop goes on after this iteration, unless its budget or max-iterations say otherwise. */
    private static final Optional<Ending> GO_ON = Optional.empty();
    /**
     * Every iteration's {@code iteration-timeout}, on one thread, where a virtual thread per
     * iteration slept and was interrupted (an exception per iteration) when it ended first.
     */
    private static final ScheduledExecutorService TIMEOUTS = Threads.scheduler("iteration-timeouts");

    private final Commands commands;
    private final ScriptRunner scripts;
    private final LlmCalls llm;
    private final LoopEvents events;

    IterationRunner(Commands commands, ScriptRunner scripts, LlmCalls llm, LoopEvents events) {
        this.commands = commands;
        this.scripts = scripts;
        this.llm = llm;
        this.events = events;
    }

    /**
     * The inputs of one iteration; {@code loop} is as stored before it. {@code feedback}: what a
     * person said rejecting the loop, which the iteration sees as its previous output; null for none.
     * {@code spent}: what the loop's iterations before this one cost.
     */
    record Work(Generation generation, LoopType type, LoopRecord loop, int number, List<IterationRecord> history,
                String feedback, double spent, Path workdir, Path outputDir, Cancellation cancellation) {

        String previousOutput() {
            return feedback != null ? feedback : IterationVariables.previousOutput(history);
        }
    }

    IterationResult run(Work work) throws InterruptedException {
        Instant started = Instant.now();
        Instant deadline = started.plus(work.type().iterationTimeout());
        // The cancel runs the iteration's hooks (killing its command...), on a thread of its own
        // so that one slow hook never delays another iteration's timeout.
        ScheduledFuture<?> timeout = TIMEOUTS.schedule(() -> Threads.startVirtual("timeout-" + work.loop().id(),
                () -> work.cancellation().cancel(Cancellation.Reason.TIMED_OUT)),
                work.type().iterationTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            return new Attempt(work, started, deadline).run();
        } finally {
            timeout.cancel(false);
        }
    }

    /** One iteration's run; keeps what it learns until the record is made. */
    private final class Attempt {
        private final Work work;
        private final Instant started;
        private final Instant deadline;
        private final Map<String, Object> variables;
        private final AtomicLong tokensIn = new AtomicLong();
        private final AtomicLong tokensOut = new AtomicLong();
        private final DoubleAdder cost = new DoubleAdder();
        private String stateJson;
        /** The action's output file and live output, opened at the first piece of an LLM reply. */
        private TextOutput replies;

        Attempt(Work work, Instant started, Instant deadline) {
            this.work = work;
            this.started = started;
            this.deadline = deadline;
            this.stateJson = work.loop().stateJson();
            this.variables = IterationVariables.of(work.loop(), work.number(), work.type().maxIterations(),
                    work.history(), work.workdir().toString());
            variables.put("previous-output", work.previousOutput());
        }

        IterationResult run() throws InterruptedException {
            Renderer renderer = work.generation().renderer();
            String prompt;
            try {
                prompt = prompt(renderer);
            } catch (Renderer.RenderException e) {
                return end(IterationOutcome.ERROR, null, null, e.getMessage(), GO_ON);
            }
            return switch (work.type().action()) {
                case LoopType.Script script -> afterScript(runScript(script, prompt, renderer));
                case LoopType.Command command -> afterCommand(command, prompt, renderer);
                case LoopType.NoAction none -> end(IterationOutcome.ERROR, null, null,
                        "loop type '" + work.type().name() + "' is abstract and has no action", ends(new Ending.Failed(
                        "loop type '" + work.type().name() + "' is abstract")));
            };
        }

        private String prompt(Renderer renderer) {
            return switch (work.type().prompt()) {
                case LoopType.TemplateRef ref -> renderer.renderTemplate(ref.templateName(), variables);
                case LoopType.Inline inline -> renderer.renderText("prompt of loop type '" + work.type().name() + "'",
                        inline.text(), variables);
                case LoopType.NoPrompt none -> "";
            };
        }

        private ScriptResult runScript(LoopType.Script script, String prompt, Renderer renderer)
                throws InterruptedException {
            try {
                return scripts.run(invocation(script, prompt, renderer));
            } finally {
                synchronized (this) {
                    if (replies != null) {
                        replies.close();
                    }
                }
            }
        }

        private ScriptInvocation invocation(LoopType.Script script, String prompt, Renderer renderer) {
            return new ScriptInvocation(script,
                    new ScriptInvocation.Loop(work.loop().id(), work.loop().inputs(), work.type().maxIterations()),
                    new ScriptInvocation.Iteration(work.number(), prompt, stateJson,
                            IterationVariables.progress(work.history()), work.previousOutput()),
                    new ScriptInvocation.Host(work.workdir(), remaining(), commands, renderer::renderTemplate,
                            message -> events.emit(new LoopEvent.Logged(work.loop().id(), message, work.number())), this::chat),
                    work.cancellation());
        }

        /**
         * An LLM call of this iteration: its reply streams into the action's output as it
         * arrives (besides {@code sink}), and it is counted into the iteration's tokens and
         * announced with its whole reply.
         */
        private ChatResponse chat(ChatRequest request, Cancellation cancellation, ReplySink sink)
                throws LlmException, InterruptedException {
            double budget = work.type().gates().maxCost();
            if (budget > 0 && work.spent() + cost.sum() >= budget) {
                throw new LlmException(LlmException.Kind.BUDGET_SPENT, "not sent: the loop has spent "
                        + (work.spent() + cost.sum()) + " of max-cost " + budget);
            }
            ChatResponse response = llm.chat(request, cancellation, new ReplyToOutput(sink));
            tokensIn.addAndGet(response.usage().input());
            tokensOut.addAndGet(response.usage().output());
            double spent = Prices.cost(work.generation(), response);
            cost.add(spent);
            events.emit(new LoopEvent.LlmReplied(work.loop().id(), work.number(),
                    response.provider() + "/" + response.model(), response.content() == null ? "" : response.content(),
                    response.toolCalls().size(), response.usage().input(), response.usage().output(),
                    work.type().name(), response.provider(), spent));
            return response;
        }

        /**
         * Hands each piece of a reply to the caller's sink and to the action's output, where a
         * reply that broke off is marked before the retry's reply follows. Called on an HTTP
         * client thread, one call at a time.
         */
        private final class ReplyToOutput implements ReplySink {
            private final ReplySink caller;

            ReplyToOutput(ReplySink caller) {
                this.caller = caller;
            }

            @Override
            public void text(String delta) {
                caller.text(delta);
                output().write(delta);
            }

            @Override
            public void discarded(String why) {
                caller.discarded(why);
                output().write("\n[taskd: the reply broke off (" + why + "); trying again]\n");
            }

            private TextOutput output() {
                synchronized (Attempt.this) {
                    if (replies == null) {
                        replies = commands.textOutput(work.loop().id(),
                                work.outputDir().resolve(work.number() + "-action.log"));
                    }
                    return replies;
                }
            }
        }

        private IterationResult afterScript(ScriptResult result) throws InterruptedException {
            stateJson = result.stateJson();
            return switch (result) {
                case ScriptResult.Completed completed -> end(IterationOutcome.COMPLETED, null, null, null,
                        ends(new Ending.Succeeded(completed.result())));
                case ScriptResult.Failed failed -> end(IterationOutcome.FAILED, null, null, failed.reason(),
                        ends(new Ending.Failed(failed.reason())));
                case ScriptResult.Errored errored -> end(IterationOutcome.ERROR, null, null,
                        errored.where().isEmpty() ? errored.message() : errored.where() + ": " + errored.message(),
                        GO_ON);
                case ScriptResult.Stopped stopped -> stoppedEnd();
                case ScriptResult.Continued continued -> validate(null);
            };
        }

        private IterationResult afterCommand(LoopType.Command command, String prompt, Renderer renderer)
                throws InterruptedException {
            String line;
            try {
                line = renderer.renderText("command of loop type '" + work.type().name() + "'", command.commandLine(),
                        variables);
            } catch (Renderer.RenderException e) {
                return end(IterationOutcome.ERROR, null, null, e.getMessage(), GO_ON);
            }
            CommandResult result = commands.run(new CommandRequest(line, work.workdir(), environment(), prompt,
                    remaining(), work.outputDir().resolve(work.number() + "-action.log"), work.loop().id()), work.cancellation());
            if (result.stopped() != null) {
                return stoppedEnd();
            }
            return validate(result);
        }

        /** Runs the validation command; without one, a command action's own exit code decides. */
        private IterationResult validate(CommandResult action) throws InterruptedException {
            if (work.type().validation().isEmpty()) {
                if (action == null) {
                    return end(IterationOutcome.CONTINUED, null, null, null, GO_ON);
                }
                boolean passed = action.exitCode() == 0;
                return end(passed ? IterationOutcome.PASSED : IterationOutcome.FAILED, action.exitCode(),
                        tail(action), null, passed ? ends(new Ending.Succeeded(null)) : GO_ON);
            }
            LoopType.Validation validation = work.type().validation().get();
            String line;
            try {
                line = work.generation().renderer().renderText("validation command of loop type '"
                        + work.type().name() + "'", validation.command(), variables);
            } catch (Renderer.RenderException e) {
                return end(IterationOutcome.ERROR, null, null, e.getMessage(), GO_ON);
            }
            Duration timeout = min(validation.timeout(), remaining());
            CommandResult result = commands.run(new CommandRequest(line, work.workdir(), environment(), "", timeout,
                    work.outputDir().resolve(work.number() + "-validation.log"), work.loop().id()),
                    work.cancellation());
            if (result.stopped() != null) {
                return stoppedEnd();
            }
            boolean passed = validation.successExitCodes().contains(result.exitCode());
            return end(passed ? IterationOutcome.PASSED : IterationOutcome.FAILED, result.exitCode(), tail(result),
                    null, passed ? ends(new Ending.Succeeded(null)) : GO_ON);
        }

        /** Stopped from outside: the cancellation says by what, {@link Ending#stopped} what follows for the loop. */
        private IterationResult stoppedEnd() {
            Cancellation.Reason reason = work.cancellation().reason().orElse(Cancellation.Reason.INTERRUPTED);
            Optional<Ending> ending = Ending.stopped(reason);
            return switch (reason) {
                case TIMED_OUT -> end(IterationOutcome.TIMED_OUT, null, null, "iteration-timeout of "
                        + Durations.format(work.type().iterationTimeout()) + " ran out", ending);
                case CANCELLED -> end(IterationOutcome.CANCELLED, null, null, "cancelled", ending);
                case PAUSED -> end(IterationOutcome.INTERRUPTED, null, null, "paused", ending);
                case INTERRUPTED -> end(IterationOutcome.INTERRUPTED, null, null, "interrupted", ending);
            };
        }

        private IterationResult end(IterationOutcome outcome, Integer exitCode, String outputTail, String error,
                                    Optional<Ending> ending) {
            IterationRecord record = new IterationRecord(work.loop().id(), work.number(), started, Instant.now(),
                    outcome, exitCode, outputTail, work.generation().number(), tokensIn.get(), tokensOut.get(), error,
                    cost.sum());
            return new IterationResult(record, stateJson, ending);
        }

        private Map<String, String> environment() {
            return Map.of("TASKD_LOOP_ID", work.loop().id(), "TASKD_ITERATION", Integer.toString(work.number()));
        }

        private Duration remaining() {
            Duration left = Duration.between(Instant.now(), deadline);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    private static Optional<Ending> ends(Ending ending) {
        return Optional.of(ending);
    }

    private static String tail(CommandResult result) {
        String combined = result.stdoutTail() + result.stderrTail();
        int max = IterationVariables.PREVIOUS_OUTPUT_CHARS;
        return combined.length() <= max ? combined : combined.substring(combined.length() - max);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
