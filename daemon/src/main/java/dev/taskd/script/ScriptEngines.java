package dev.taskd.script;

import dev.taskd.concurrent.Threads;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS {@link Engine} of the process, and the sandbox every script context gets.
 * Sharing the engine shares parsed code between contexts: a fresh context then costs under a
 * millisecond instead of several (see TOOLCHAIN.md).
 */
public final class ScriptEngines {

    private static final AtomicBoolean WARMING_UP = new AtomicBoolean();

    private ScriptEngines() {
    }

    /** The shared engine, created on first use (about a second on a stock JDK). Thread-safe. */
    public static Engine shared() {
        return Holder.ENGINE;
    }

    /**
     * Starts making the shared engine and a first sandboxed context on a background thread and
     * returns at once. Both take over a second on a stock JDK, most of it loading classes, and
     * only the first of each costs that much: started early, this runs while the caller parses
     * the configuration, and the first script check then finds the work done or under way (it
     * waits for the engine's class initialization rather than making a second one).
     * A failure here is left for that real use to meet and report with its own context. Only the
     * first call in a process does anything.
     */
    public static void warmUp() {
        if (!WARMING_UP.compareAndSet(false, true)) {
            return;
        }
        Threads.startPlatformDaemon("script-warm-up", () -> {
            Source module = Source.newBuilder("js", "export function iterate(ctx) {}", "warm-up.mjs")
                    .mimeType(GraalScriptCheck.MODULE_MIME_TYPE)
                    .buildLiteral();
            try (Context context = sandboxedContext().build()) {
                context.eval(module);
            } catch (RuntimeException | LinkageError e) {
                // Deliberately dropped: see above; the next real use raises it again.
            }
        });
    }

    /**
     * A context builder with the sandbox: only members marked {@code @HostAccess.Export} are
     * reachable, no host class lookup ({@code Java} is undefined), no file, process, thread,
     * environment, native or polyglot access. Anything a script needs comes through {@code ctx}.
     * ES modules evaluate to their namespace, so exports can be read.
     */
    public static Context.Builder sandboxedContext() {
        return Context.newBuilder("js")
                .engine(shared())
                .allowHostAccess(HostAccess.EXPLICIT)
                .allowHostClassLookup(className -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .option("js.esm-eval-returns-exports", "true");
    }

    private static final class Holder {
        private static final Engine ENGINE = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }
}
