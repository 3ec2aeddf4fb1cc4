package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.process.CommandRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each {@code ctx} member as a script sees it. */
class ScriptRunnerCtxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScriptRunner RUNNER = new ScriptRunner();

    @TempDir
    Path workdir;

    private Invocations invocations;

    private JsonNode stateAfter(String body) throws Exception {
        ScriptResult result = RUNNER.run(invocations().of("export function iterate(ctx) {\n" + body + "\n}\n"));
        assertThat(result).isInstanceOf(ScriptResult.Continued.class);
        return JSON.readTree(result.stateJson());
    }

    private Invocations invocations() {
        if (invocations == null) {
            invocations = new Invocations(workdir);
        }
        return invocations;
    }

    @Test
    void inputsAreReadableOneByOneAndAsAnObject() throws Exception {
        invocations().inputs = Map.of("issue", "42", "branch", "main");

        JsonNode state = stateAfter("ctx.state.issue = ctx.input('issue'); ctx.state.missing = ctx.input('nope') ?? 'absent';"
                + " ctx.state.inputs = ctx.inputs; ctx.state.keys = Object.keys(ctx.inputs).sort();");

        assertThat(state.get("issue").asText()).isEqualTo("42");
        assertThat(state.get("missing").asText()).isEqualTo("absent");
        assertThat(state.get("inputs").get("branch").asText()).isEqualTo("main");
        assertThat(state.get("keys").toString()).isEqualTo("[\"branch\",\"issue\"]");
    }

    @Test
    void ctxHasTheDocumentedMembersAsPlainProperties() throws Exception {
        JsonNode state = stateAfter("ctx.state.keys = Object.keys(ctx); ctx.state.fs = Object.keys(ctx.fs);"
                + " ctx.state.llm = Object.keys(ctx.llm); ctx.state.proto = Object.getPrototypeOf(ctx) === Object.prototype;"
                + " ctx.state.functions = [ctx.input, ctx.render, ctx.exec, ctx.log, ctx.complete, ctx.fail, ctx.fs.read,"
                + " ctx.fs.write, ctx.fs.list, ctx.fs.exists, ctx.llm.chat].map(f => typeof f);"
                + " ctx.iteration = 99; ctx.state.assigned = ctx.iteration;");

        assertThat(state.get("keys").toString()).isEqualTo(JSON.writeValueAsString(List.of("input", "render", "exec",
                "log", "complete", "fail", "inputs", "iteration", "maxIterations", "prompt", "state", "progress",
                "previousOutput", "loopId", "workdir", "fs", "llm")));
        assertThat(state.get("fs").toString()).isEqualTo("[\"read\",\"write\",\"list\",\"exists\"]");
        assertThat(state.get("llm").toString()).isEqualTo("[\"chat\"]");
        assertThat(state.get("proto").asBoolean()).isTrue();
        assertThat(state.get("functions").toString()).isEqualTo(JSON.writeValueAsString(List.of("function", "function",
                "function", "function", "function", "function", "function", "function", "function", "function", "function")));
        assertThat(state.get("assigned").asInt()).isEqualTo(99);
    }

    @Test
    void iterationDataAreProperties() throws Exception {
        invocations().progress = List.of(Map.of("iteration", 2, "outcome", "failed"));

        JsonNode state = stateAfter("ctx.state.seen = [typeof ctx.iteration, ctx.iteration, ctx.maxIterations, ctx.prompt,"
                + " ctx.previousOutput, ctx.loopId, ctx.workdir, Array.isArray(ctx.progress), ctx.progress[0].outcome];");

        assertThat(state.get("seen").toString()).isEqualTo(JSON.writeValueAsString(List.of("number", 3, 10, "the prompt",
                "last output", "01LOOP", workdir.toString(), true, "failed")));
    }

    @Test
    void renderPassesTheTemplateNameAndVariables() throws Exception {
        JsonNode state = stateAfter("ctx.state.text = ctx.render('review', {file: 'a.c', n: 2});");

        assertThat(state.get("text").asText()).isEqualTo("review:{file=a.c, n=2}");
    }

    @Test
    void execRunsInTheWorkDirWithEnvironmentStdinAndTimeout() throws Exception {
        JsonNode state = stateAfter("const r = ctx.exec('pwd; echo \"$GREETING\"; cat; echo oops >&2; exit 3',"
                + " {env: {GREETING: 'hi'}, stdin: 'from stdin', timeout: '5s'});"
                + " ctx.state.r = r;");

        assertThat(state.get("r").get("exitCode").asInt()).isEqualTo(3);
        assertThat(state.get("r").get("stdout").asText())
                .isEqualTo(workdir.toRealPath() + "\nhi\nfrom stdin");
        assertThat(state.get("r").get("stderr").asText()).isEqualTo("oops\n");
        CommandRequest request = invocations.commands.requests.getFirst();
        assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(request.workdir()).isEqualTo(workdir);
    }

    @Test
    void execTimeoutMayBeMillisecondsAndDefaultsToTheCommandTimeout() throws Exception {
        stateAfter("ctx.exec('true', {timeout: 1500}); ctx.exec('true');");

        assertThat(invocations.commands.requests).extracting(CommandRequest::timeout)
                .containsExactly(Duration.ofMillis(1500), Duration.ofSeconds(20));
    }

    @Test
    void aBadExecTimeoutIsAnErrorTheScriptCanCatch() throws Exception {
        JsonNode state = stateAfter("try { ctx.exec('true', {timeout: 'soon'}); } catch (e) { ctx.state.message = e.message; }");

        assertThat(state.get("message").asText()).isEqualTo(
                "ctx.exec: timeout 'soon' is neither a duration like '30s' nor a positive number of milliseconds");
    }

    @Test
    void fsReadsWritesListsAndChecksInsideTheWorkDir() throws Exception {
        Files.writeString(workdir.resolve("b.txt"), "bee");

        JsonNode state = stateAfter("ctx.fs.write('sub/dir/a.txt', 'hello'); ctx.state.a = ctx.fs.read('sub/dir/a.txt');"
                + " ctx.state.b = ctx.fs.read('b.txt'); ctx.state.list = ctx.fs.list('.');"
                + " ctx.state.exists = [ctx.fs.exists('sub/dir'), ctx.fs.exists('nope')];");

        assertThat(Files.readString(workdir.resolve("sub/dir/a.txt"))).isEqualTo("hello");
        assertThat(state.get("a").asText()).isEqualTo("hello");
        assertThat(state.get("b").asText()).isEqualTo("bee");
        assertThat(state.get("list").toString()).isEqualTo("[\"b.txt\",\"sub\"]");
        assertThat(state.get("exists").toString()).isEqualTo("[true,false]");
    }

    @Test
    void fsRefusesPathsOutsideTheWorkDirWithAnErrorNamingThePath() throws Exception {
        Files.createSymbolicLink(workdir.resolve("etc"), Path.of("/etc"));

        JsonNode state = stateAfter("ctx.state.errors = ['../x', '/etc/passwd', 'etc/passwd'].map(p => {"
                + " try { ctx.fs.read(p); return 'read'; } catch (e) { return e.message; } });");

        assertThat(state.get("errors").get(0).asText()).isEqualTo("ctx.fs.read: path '../x' leaves the work dir");
        assertThat(state.get("errors").get(1).asText())
                .isEqualTo("ctx.fs.read: path '/etc/passwd' is absolute; use a path relative to the work dir");
        assertThat(state.get("errors").get(2).asText())
                .startsWith("ctx.fs.read: path 'etc/passwd' leaves the work dir through a symbolic link");
    }

    @Test
    void llmChatSaysNoProviderIsConfigured() throws Exception {
        JsonNode state = stateAfter("try { ctx.llm.chat({messages: []}); } catch (e) { ctx.state.message = e.message; }");

        assertThat(state.get("message").asText()).isEqualTo("ctx.llm.chat: no LLM provider configured");
    }

    @Test
    void logSendsTextToTheLoopsLog() throws Exception {
        stateAfter("ctx.log('hello'); ctx.log({a: 1}); ctx.log(7);");

        assertThat(invocations.log).containsExactly("hello", "{\"a\":1}", "7");
    }

    @Test
    void aHostMethodGivenTheWrongArgumentThrowsAScriptError() throws Exception {
        JsonNode state = stateAfter("try { ctx.input(5); } catch (e) { ctx.state.message = e.message; }");

        assertThat(state.get("message").asText()).isEqualTo("ctx.input(name): argument 1 must be a string, was 5");
    }
}
