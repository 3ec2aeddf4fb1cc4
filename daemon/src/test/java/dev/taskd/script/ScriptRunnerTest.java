package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.script.ScriptResult.Completed;
import dev.taskd.script.ScriptResult.Continued;
import dev.taskd.script.ScriptResult.Errored;
import dev.taskd.script.ScriptResult.Failed;
import dev.taskd.script.ScriptResult.Stopped;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a call of iterate ends, what state it leaves, and how it is stopped. */
class ScriptRunnerTest {

    private static final ScriptRunner RUNNER = new ScriptRunner();

    @TempDir
    Path workdir;

    private static String iterate(String body) {
        return "export function iterate(ctx) {\n" + body + "\n}\n";
    }

    private ScriptResult run(String script) {
        return RUNNER.run(new Invocations(workdir).of(script));
    }

    @Test
    void stateLeftByOneCallIsSeenByTheNext() {
        String script = iterate("ctx.state.n = (ctx.state.n ?? 0) + 1;");
        Invocations invocations = new Invocations(workdir);

        ScriptResult first = RUNNER.run(invocations.of(script));
        invocations.stateJson = first.stateJson();
        ScriptResult second = RUNNER.run(invocations.of(script));

        assertThat(first).isEqualTo(new Continued("{\"n\":1}"));
        assertThat(second).isEqualTo(new Continued("{\"n\":2}"));
    }

    @Test
    void aScriptMayReplaceTheStateObject() {
        assertThat(run(iterate("ctx.state = {fresh: true};"))).isEqualTo(new Continued("{\"fresh\":true}"));
    }

    @Test
    void completeEndsTheCallAtOnceWithTheResultAndState() {
        ScriptResult result = run(iterate("ctx.state.done = true; ctx.complete({pr: 7}); ctx.state.after = true;"));

        assertThat(result).isEqualTo(new Completed("{\"pr\":7}", "{\"done\":true}"));
    }

    @Test
    void failEndsTheCallEvenWhenTheScriptCatchesIt() {
        ScriptResult result = run(iterate("try { ctx.fail('no tests'); } catch (e) { }\nctx.state.after = 1;"));

        assertThat(result).isEqualTo(new Failed("no tests", "{\"after\":1}"));
    }

    @Test
    void aThrownErrorNamesTheScriptFileAndLineAndKeepsTheState() {
        ScriptResult result = run(iterate("ctx.state.tried = 1;\nthrow new Error('boom');"));

        assertThat(result).isEqualTo(new Errored("Error: boom", "fix.mjs:3", "{\"tried\":1}"));
    }

    @Test
    void anErrorInAFunctionCalledByIterateNamesWhereItWasThrown() {
        ScriptResult result = run("function helper() {\n  return null.x;\n}\n" + iterate("helper();"));

        assertThat(result).isInstanceOfSatisfying(Errored.class, errored -> {
            assertThat(errored.message()).startsWith("TypeError: ");
            assertThat(errored.where()).isEqualTo("fix.mjs:2");
        });
    }

    @Test
    void aSyntaxErrorIsAnErrorWithItsLine() {
        ScriptResult result = run(iterate("return 1 +;"));

        assertThat(result).isInstanceOfSatisfying(Errored.class, errored -> {
            assertThat(errored.message()).contains("SyntaxError");
            assertThat(errored.where()).isEqualTo("fix.mjs:2");
        });
    }

    @Test
    void aScriptWithoutIterateIsAnError() {
        assertThat(run("export function iterat(ctx) {}\n"))
                .isEqualTo(new Errored("script does not export a function 'iterate'", "fix.mjs", "{}"));
    }

    @Test
    void stateThatJsonCannotWriteIsAnErrorAndTheOldStateIsKept() {
        assertThat(run(iterate("ctx.state.self = ctx.state;"))).isInstanceOfSatisfying(Errored.class,
                errored -> assertThat(errored.message()).startsWith("ctx.state cannot be saved"));
        assertThat(run(iterate("ctx.state.big = 10n;"))).isInstanceOf(Errored.class);
        assertThat(run(iterate("ctx.state = 5;"))).isEqualTo(new Errored(
                "ctx.state cannot be saved: it must be an object that JSON.stringify can write (no cycles, no BigInt)",
                "fix.mjs", "{}"));
    }

    @Test
    void invalidStoredStateIsAnError() {
        Invocations invocations = new Invocations(workdir);
        invocations.stateJson = "{not json";

        assertThat(RUNNER.run(invocations.of(iterate(""))))
                .isInstanceOfSatisfying(Errored.class,
                        errored -> assertThat(errored.message()).startsWith("the stored state is not valid JSON"));
    }

    @Test
    void anEndlessLoopStopsPromptlyWhenCancelled() throws Exception {
        Invocations invocations = new Invocations(workdir);
        CompletableFuture<ScriptResult> result = runInVirtualThread(invocations,
                iterate("ctx.state.n = 1; ctx.log('looping');\nwhile (true) {}"));
        awaitLog(invocations);

        long cancelledAt = System.nanoTime();
        invocations.cancellation.cancel(Cancellation.Reason.TIMED_OUT);
        ScriptResult stopped = result.get(2, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);

        System.out.println("while(true) stopped " + millis + " ms after cancel");
        assertThat(stopped).isEqualTo(new Stopped("{}"));
        assertThat(millis).isLessThan(2000);
    }

    @Test
    void aCommandRunningWhenCancelledIsStoppedWithTheScript() throws Exception {
        Invocations invocations = new Invocations(workdir);
        CompletableFuture<ScriptResult> result = runInVirtualThread(invocations,
                iterate("ctx.log('running'); ctx.exec('sleep 30'); ctx.state.after = true;"));
        awaitLog(invocations);
        Thread.sleep(200);

        long cancelledAt = System.nanoTime();
        invocations.cancellation.cancel(Cancellation.Reason.CANCELLED);
        ScriptResult stopped = result.get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);

        System.out.println("ctx.exec('sleep 30') stopped " + millis + " ms after cancel");
        assertThat(stopped).isEqualTo(new Stopped("{}"));
    }

    @Test
    void aCallCancelledBeforeItStartsDoesNotRunTheScript() {
        Invocations invocations = new Invocations(workdir);
        invocations.cancellation.cancel(Cancellation.Reason.PAUSED);

        assertThat(RUNNER.run(invocations.of(iterate("ctx.log('ran');")))).isEqualTo(new Stopped("{}"));
        assertThat(invocations.log).isEmpty();
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void scriptsRunningAtOnceDoNotSeeEachOthersGlobals() throws Exception {
        String script = iterate("const mine = ctx.input('name'); ctx.state.before = globalThis.marker ?? null;"
                + " globalThis.marker = mine; const until = Date.now() + 300; while (Date.now() < until) {}"
                + " ctx.state.after = globalThis.marker;");
        Invocations a = new Invocations(workdir);
        a.inputs = Map.of("name", "a");
        Invocations b = new Invocations(workdir);
        b.inputs = Map.of("name", "b");

        CompletableFuture<ScriptResult> first = runInVirtualThread(a, script);
        CompletableFuture<ScriptResult> second = runInVirtualThread(b, script);

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Continued("{\"before\":null,\"after\":\"a\"}"));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Continued("{\"before\":null,\"after\":\"b\"}"));
        assertThat(RUNNER.run(a.of(script))).isEqualTo(new Continued("{\"before\":null,\"after\":\"a\"}"));
    }

    @Test
    void aGlobalLeftByOneCallIsGoneInTheNext() {
        String script = iterate("ctx.state.seen = globalThis.marker ?? null; globalThis.marker = 'left';");
        Invocations invocations = new Invocations(workdir);

        for (int call = 0; call < 2 * SpareContexts.CAPACITY + 1; call++) {
            assertThat(RUNNER.run(invocations.of(script))).isEqualTo(new Continued("{\"seen\":null}"));
        }
    }

    @Test
    void aScriptThatReplacesJsonStillHasItsStateSaved() {
        ScriptResult result = run(iterate("JSON.stringify = () => '{\"forged\":true}'; JSON.parse = null;"
                + " ctx.state.n = 1;"));

        assertThat(result).isEqualTo(new Continued("{\"n\":1}"));
    }

    private static CompletableFuture<ScriptResult> runInVirtualThread(Invocations invocations, String script) {
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(RUNNER.run(invocations.of(script)));
                if (Thread.currentThread().isInterrupted()) {
                    result.obtrudeException(new AssertionError("the runner left its thread interrupted"));
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void awaitLog(Invocations invocations) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (invocations.log.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(invocations.log).isNotEmpty();
    }
}
