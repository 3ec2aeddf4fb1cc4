package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.script.ScriptResult.Errored;
import dev.taskd.script.ScriptResult.Stopped;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs one call of a loop type script's {@code iterate(ctx)}: a fresh sandboxed context on the
 * shared engine, the module's parsed source from a cache, and {@code ctx} built from the
 * invocation. The context is made before the call and closed after it on another thread
 * ({@link SpareContexts}). There is no statement limit; a cancellation closes the context at once,
 * which stops guest code at its next safepoint and interrupts a host call ({@code ctx.exec}) in
 * progress.
 *
 * <p>Runs on the calling thread; thread-safe, any number of loops may call it at once. Never
 * throws for anything the script does: every outcome is a {@link ScriptResult}. A stopped call
 * returns the state as it was before the call, since the script may have been stopped half-way
 * through changing it. When a cancellation interrupted the calling thread, the interrupt is
 * cleared before returning: it was addressed to the script, not to the caller.
 */
public final class ScriptRunner {

    /** Shared by every runner, like the engine, so that the process holds a bounded number of spares. */
    private static final SpareContexts CONTEXTS = new SpareContexts();

    private final ScriptSources sources = new ScriptSources();

    public ScriptResult run(ScriptInvocation invocation) {
        String stateBefore = invocation.iteration().stateJson();
        Cancellation cancellation = invocation.cancellation();
        FreshContext fresh = null;
        try {
            fresh = CONTEXTS.take();
            Context context = fresh.context();
            try (Cancellation.Registration stop = cancellation.onCancel(() -> context.close(true))) {
                return call(fresh, invocation);
            }
        } catch (PolyglotException | IllegalStateException e) {
            // Closed by the cancellation between two steps.
            if (cancellation.isCancelled()) {
                return new Stopped(stateBefore);
            }
            return new Errored("script engine failed: " + e.getMessage(), "", stateBefore);
        } finally {
            if (fresh != null) {
                CONTEXTS.retire(fresh);
            }
            if (cancellation.isCancelled()) {
                Thread.interrupted();
            }
        }
    }

    private ScriptResult call(FreshContext fresh, ScriptInvocation invocation) {
        String file = invocation.script().source().fileName();
        String stateBefore = invocation.iteration().stateJson();
        ScriptValues values = fresh.values();
        Value state;
        try {
            state = values.parseJson(stateBefore);
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted()) {
                throw e;
            }
            return new Errored("the stored state is not valid JSON: " + e.getMessage(), "", stateBefore);
        }
        ScriptContextApi api = new ScriptContextApi(invocation, values);
        Value ctx = fresh.ctxFactory().ctx(api, invocation, state);
        PolyglotException thrown = null;
        try {
            Value iterate = fresh.context().eval(sources.source(invocation.script().source())).getMember("iterate");
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
        Optional<String> stateAfter = stateAfter(fresh.ctxFactory(), ctx);
        if (stateAfter.isEmpty()) {
            return new Errored("ctx.state cannot be saved: it must be an object that JSON.stringify can write"
                    + " (no cycles, no BigInt)", file, stateBefore);
        }
        return ScriptOutcomes.result(ending, thrown, file, stateAfter.get());
    }

    private static Optional<String> stateAfter(CtxFactory ctxFactory, Value ctx) {
        try {
            return Optional.ofNullable(ctxFactory.stateJson(ctx)).filter(json -> json.startsWith("{"));
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted()) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
