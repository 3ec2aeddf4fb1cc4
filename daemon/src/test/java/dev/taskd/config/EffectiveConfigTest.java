package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigTest {

    @TempDir
    Path root;

    @Test
    void everyKeyOfTheShippedConfigurationHasAScope() {
        LoadResult result = new ConfigLoader(Path.of(".."), new GraalScriptCheck()).load(Path.of("..", "config", "taskd.toml"));
        SortedMap<String, String> keys = EffectiveConfig.of(result.snapshot().orElseThrow());

        assertThat(keys.keySet()).allSatisfy(key -> assertThatCode(() -> ConfigKeys.scopeOf(key)).doesNotThrowAnyException());
        assertThat(keys).contains(
                Map.entry("limits.max-loops", "1000"),
                Map.entry("limits.per-type.ralph", "20"),
                Map.entry("llm.providers.local.kind", "\"openai\""),
                Map.entry("llm.providers.local.api-key-env", "\"LOCAL_LLM_KEY\""),
                Map.entry("daemon.listen", "\"127.0.0.1:7070\""),
                Map.entry("reload.debounce", "\"250ms\""),
                Map.entry("loop-types.ralph.max-iterations", "20"),
                Map.entry("loop-types.ralph.on-reload", "\"next-iteration\""),
                Map.entry("loop-types.ralph.validation.success-exit-codes", "[0]"),
                Map.entry("loop-types.retry-command.backoff", "\"exponential\""),
                Map.entry("loop-types.hello.inputs",
                        "[{ name = \"count\", default = \"3\", description = \"how far to count\" }]"));
        assertThat(keys.get("daemon.data-dir")).isEqualTo("\"" + Path.of("..", ".taskd").toAbsolutePath().normalize() + "\"");
        assertThat(keys.get("loop-types.hello.script")).matches("\"hello\\.js@[0-9a-f]{12}\"");
        assertThat(keys.get("templates.ralph")).matches("[0-9a-f]{12}");
    }

    @Test
    void everyKeyOfATreeHasAScopeAndDefaultsAndAbsolutePathsApply() throws IOException {
        writeTree();

        SortedMap<String, String> keys = EffectiveConfig.of(loadValid());

        assertThat(keys.keySet()).allSatisfy(key -> assertThatCode(() -> ConfigKeys.scopeOf(key)).doesNotThrowAnyException());
        assertThat(keys).contains(
                Map.entry("daemon.data-dir", quoted(root.resolve(".taskd"))),
                Map.entry("auth.token-file", "\"\""),
                Map.entry("loops.paths", "[" + quoted(root.resolve("loop-types")) + "]"),
                Map.entry("loops.workdir-roots", "[]"),
                Map.entry("limits.drain-timeout", "\"30s\""),
                Map.entry("monitoring.metrics", "true"),
                Map.entry("loop-types.plain.max-iterations", "10"),
                Map.entry("loop-types.plain.abstract", "false"));
        assertThat(keys.keySet()).doesNotContain("limits.per-type", "llm.providers");
    }

    @Test
    void aLoopTypeHasOnlyTheActionPromptAndValidationItDefines() throws IOException {
        writeTree();
        write("loop-types/checked.toml", """
                command = "make"
                prompt = "Say \\"hi\\"\\nthen stop"

                [validation]
                command = "make test"
                success-exit-codes = [0, 3]
                """);

        SortedMap<String, String> keys = EffectiveConfig.of(loadValid());

        assertThat(keys).contains(
                Map.entry("loop-types.one.command", "\"true\""),
                Map.entry("loop-types.one.template", "\"shared\""),
                Map.entry("loop-types.checked.prompt", "\"Say \\\"hi\\\"\\nthen stop\""),
                Map.entry("loop-types.checked.validation.success-exit-codes", "[0, 3]"),
                Map.entry("loop-types.checked.validation.timeout", "\"2m\""));
        assertThat(keys.keySet()).doesNotContain("loop-types.one.script", "loop-types.one.prompt",
                "loop-types.one.validation.command", "loop-types.plain.command", "loop-types.plain.template",
                "loop-types.checked.template");
    }

    @Test
    void theSameMeaningWrittenDifferentlyGivesTheSameValues() throws IOException {
        writeTree();
        write("loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [\"task\"]\ndelay = \"60s\"\n");
        SortedMap<String, String> first = EffectiveConfig.of(loadValid());

        write("loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [{ name = \"task\" }]\n"
                + "delay = \"1m\"\n");
        SortedMap<String, String> second = EffectiveConfig.of(loadValid());

        assertThat(second).isEqualTo(first);
        assertThat(first).containsEntry("loop-types.one.inputs", "[\"task\"]").containsEntry("loop-types.one.delay", "\"1m\"");
    }

    @Test
    void templatesWhoseNamesCannotBeKeysAreRefusedWhenLoading() throws IOException {
        writeTree();
        write("templates/fix.tests.mustache", "Fix the tests.\n");
        write("templates/paths.mustache", "Paths.\n");

        LoadResult result = new ConfigLoader(root, new GraalScriptCheck()).load(root.resolve("config/taskd.toml"));

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).map(Finding::toString).containsExactly(
                "templates/fix.tests.mustache:1:1: template name 'fix.tests' must be lower-case letters, digits,"
                        + " '-' or '_', and not 'paths'; rename the file",
                "templates/paths.mustache:1:1: template name 'paths' must be lower-case letters, digits,"
                        + " '-' or '_', and not 'paths'; rename the file");
    }

    private static String quoted(Path path) {
        return "\"" + path + "\"";
    }

    /** A small valid tree: types one and two share a template with a partial; plain has a script. */
    private void writeTree() throws IOException {
        write("config/taskd.toml", "");
        write("templates/shared.mustache", "Do {{task}}.\n{{> footer}}\n");
        write("templates/footer.mustache", "-- iteration {{iteration}}\n");
        write("loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [\"task\"]\n");
        write("loop-types/two.toml", "command = \"false\"\ntemplate = \"shared\"\ninputs = [\"task\"]\n");
        write("loop-types/plain.toml", "script = \"plain.js\"\n");
        write("loop-types/plain.js", "export function iterate(ctx) { ctx.complete('done'); }\n");
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private ConfigSnapshot loadValid() {
        LoadResult result = new ConfigLoader(root, new GraalScriptCheck()).load(root.resolve("config/taskd.toml"));
        assertThat(result.findings()).isEmpty();
        return result.snapshot().orElseThrow();
    }
}
