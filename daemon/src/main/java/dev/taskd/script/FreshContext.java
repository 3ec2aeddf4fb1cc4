package dev.taskd.script;

import org.graalvm.polyglot.Context;

/**
 * A sandboxed context in which no script has run yet, initialised, with the host's conversions
 * ({@link ScriptValues}, {@link CtxFactory}) already captured from its pristine built-ins. Used for exactly one call
 * of {@code iterate}, then closed. Closing is idempotent, and safe after a cancellation closed the
 * context from another thread.
 */
record FreshContext(Context context, ScriptValues values, CtxFactory ctxFactory) implements AutoCloseable {

    /** Builds and initialises one; the costly part of a fresh context (most of a millisecond). */
    static FreshContext create() {
        Context context = ScriptEngines.sandboxedContext().build();
        try {
            ScriptValues values = new ScriptValues(context);
            // The first JSON.parse and JSON.stringify in a context do one-off set-up (tens of µs
            // each): do it here rather than in the call. Neither leaves anything a script can see.
            values.json(values.parseJson("{}"));
            return new FreshContext(context, values, new CtxFactory(context));
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
