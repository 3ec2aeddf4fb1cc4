package dev.taskd.script;

import dev.taskd.loop.Cancellation;
import dev.taskd.script.ScriptResult.Errored;
import dev.taskd.script.ScriptResult.Stopped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs one call of a loop type script's {@code iterate(ctx)}: a fresh sandboxed context on the
 * shared engine, the module's parsed source from a cache, and {@code ctx} built from the
 * invocation. There is no statement limit; a cancellation closes the context, which stops guest
 * code at its next safepoint and interrupts a host call ({@code ctx.exec}) in progress.
 *
 * <p>Runs on the calling thread; thread-safe, any number of loops may call it at once. Never
 * throws for anything the script does: every outcome is a {@link ScriptResult}. A stopped call
 * returns the state as it was before the call, since the script may have been stopped half-way
 * through changing it. When a cancellation interrupted the calling thread, the interrupt is
 * cleared before returning: it was addressed to the script, not to the caller.
 */
public final class ScriptRunner {

    private final ScriptSources sources = new ScriptSources();

    public ScriptResult run(ScriptInvocation invocation) {
        String stateBefore = invocation.stateJson();
        Cancellation cancellation = invocation.cancellation();
        try (Context context = ScriptEngines.sandboxedContext().build();
             Cancellation.Registration stop = cancellation.onCancel(() -> context.close(true))) {
            return call(context, invocation);
        } catch (PolyglotException | IllegalStateException e) {
            // Closed by the cancellation between two steps, or while closing.
            if (cancellation.isCancelled()) {
                return new Stopped(stateBefore);
            }
            return new Errored("script engine failed: " + e.getMessage(), "", stateBefore);
        } finally {
            if (cancellation.isCancelled()) {
                Thread.interrupted();
            }
        }
    }

    private ScriptResult call(Context context, ScriptInvocation invocation) {
        String file = invocation.script().source().fileName();
        String stateBefore = invocation.stateJson();
        ScriptValues values = new ScriptValues(context);
        Value state;
        try {
            state = values.parseJson(stateBefore);
        } catch (PolyglotException e) {
            return new Errored("the stored state is not valid JSON: " + e.getMessage(), "", stateBefore);
        }
        ScriptContextApi api = new ScriptContextApi(invocation, values);
        Value ctx = ctx(context, invocation, values, api, state);
        PolyglotException thrown = null;
        try {
            Value iterate = context.eval(sources.source(invocation.script().source())).getMember("iterate");
            if (iterate == null || !iterate.canExecute()) {
                return new Errored("script does not export a function 'iterate'", file, stateBefore);
            }
            iterate.executeVoid(ctx);
        } catch (PolyglotException e) {
            thrown = e;
        }
        if (invocation.cancellation().isCancelled() || thrown != null && (thrown.isCancelled() || thrown.isInterrupted())) {
            return new Stopped(stateBefore);
        }
        ScriptEnd ending = api.ending() != null ? api.ending() : ScriptOutcomes.endingOf(thrown);
        if (ending != null && ending.kind() == ScriptEnd.Kind.STOPPED) {
            return new Stopped(stateBefore);
        }
        Optional<String> stateAfter = stateAfter(values, ctx);
        if (stateAfter.isEmpty()) {
            return new Errored("ctx.state cannot be saved: it must be an object that JSON.stringify can write"
                    + " (no cycles, no BigInt)", file, stateBefore);
        }
        return ScriptOutcomes.result(ending, thrown, file, stateAfter.get());
    }

    private static Optional<String> stateAfter(ScriptValues values, Value ctx) {
        try {
            return values.json(ctx.getMember("state")).filter(json -> json.startsWith("{"));
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted()) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static Value ctx(Context context, ScriptInvocation invocation, ScriptValues values, ScriptContextApi api, Value state) {
        Value host = context.asValue(api);
        Map<String, Object> members = new LinkedHashMap<>();
        for (String method : new String[] {"input", "render", "exec", "log", "complete", "fail"}) {
            members.put(method, host.getMember(method));
        }
        members.put("inputs", values.fromJava(invocation.inputs()));
        members.put("iteration", invocation.iteration());
        members.put("maxIterations", invocation.maxIterations());
        members.put("prompt", invocation.prompt());
        members.put("state", state);
        members.put("progress", values.fromJava(invocation.progress()));
        members.put("previousOutput", invocation.previousOutput());
        members.put("loopId", invocation.loopId());
        members.put("workdir", invocation.workdir().toString());
        Map<String, Object> fs = new LinkedHashMap<>();
        for (String method : new String[] {"read", "write", "list", "exists"}) {
            fs.put(method, host.getMember(method));
        }
        members.put("fs", values.object(fs));
        members.put("llm", values.object(Map.of("chat", host.getMember("chat"))));
        return values.object(members);
    }
}
