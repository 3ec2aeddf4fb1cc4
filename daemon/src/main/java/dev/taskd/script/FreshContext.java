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
            return new FreshContext(context, new ScriptValues(context), new CtxFactory(context));
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
