package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.script.GraalScriptCheck;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path root;

    @Test
    void shippedConfigurationIsValid() {
        LoadResult result = load(Path.of("..", "config", "taskd.toml"));

        assertThat(result.findings()).isEmpty();
        ConfigSnapshot snapshot = result.snapshot().orElseThrow();
        assertThat(snapshot.loopTypes()).containsOnlyKeys("hello", "ralph", "retry-command");
        assertThat(snapshot.loopTypes().get("hello").action()).isInstanceOf(LoopType.Script.class);
        assertThat(snapshot.loopTypes().get("retry-command").action()).isInstanceOf(LoopType.Command.class);
        assertThat(snapshot.config().limits().perType()).containsEntry("ralph", 20);
    }

    @Test
    void sameContentGivesTheSameHashesWherever() throws IOException {
        writeTree(root.resolve("a"));
        writeTree(root.resolve("b"));

        ConfigSnapshot first = loadValid(root.resolve("a/config/taskd.toml"));
        ConfigSnapshot again = loadValid(root.resolve("a/config/taskd.toml"));
        ConfigSnapshot elsewhere = loadValid(root.resolve("b/config/taskd.toml"));

        assertThat(again.hash()).isEqualTo(first.hash());
        assertThat(elsewhere.loopTypes().get("one").version()).isEqualTo(first.loopTypes().get("one").version());
        assertThat(first.sources()).allSatisfy(source -> assertThat(source.hash()).hasSize(64));
    }

    @Test
    void changingATemplateChangesTheVersionOfEveryTypeThatUsesIt() throws IOException {
        writeTree(root);
        ConfigSnapshot before = loadValid(root.resolve("config/taskd.toml"));

        write("templates/shared.mustache", "Now do {{task}} differently.\n");
        ConfigSnapshot after = loadValid(root.resolve("config/taskd.toml"));

        assertThat(after.hash()).isNotEqualTo(before.hash());
        assertThat(after.loopTypes().get("one").version()).isNotEqualTo(before.loopTypes().get("one").version());
        assertThat(after.loopTypes().get("two").version()).isNotEqualTo(before.loopTypes().get("two").version());
        assertThat(after.loopTypes().get("plain").version()).isEqualTo(before.loopTypes().get("plain").version());
    }

    @Test
    void changingAPartialOrAScriptChangesTheVersionToo() throws IOException {
        writeTree(root);
        ConfigSnapshot before = loadValid(root.resolve("config/taskd.toml"));

        write("templates/footer.mustache", "-- iteration {{iteration}}, changed\n");
        write("loop-types/plain.js", "export function iterate(ctx) { ctx.complete('changed'); }\n");
        ConfigSnapshot after = loadValid(root.resolve("config/taskd.toml"));

        assertThat(after.loopTypes().get("one").version()).isNotEqualTo(before.loopTypes().get("one").version());
        assertThat(after.loopTypes().get("plain").version()).isNotEqualTo(before.loopTypes().get("plain").version());
    }

    @Test
    void extendsInheritsKeyByKeyAndTheChildWins() throws IOException {
        writeTree(root);
        write("loop-types/base.toml", """
                abstract = true
                command = "make {{task}}"
                max-iterations = 7
                delay = "3s"
                inputs = ["task"]

                [validation]
                command = "make test"
                timeout = "30s"
                """);
        write("loop-types/child.toml", """
                extends = "base"
                script = "plain.js"
                delay = "0s"

                [validation]
                timeout = "1m"
                """);

        ConfigSnapshot snapshot = loadValid(root.resolve("config/taskd.toml"));
        LoopType child = snapshot.loopTypes().get("child");

        assertThat(child.isAbstract()).isFalse();
        assertThat(child.action()).isInstanceOf(LoopType.Script.class);
        assertThat(child.maxIterations()).isEqualTo(7);
        assertThat(child.delay()).isEqualTo(Duration.ZERO);
        assertThat(child.inputs()).extracting(LoopType.Input::name).containsExactly("task");
        assertThat(child.validation()).hasValueSatisfying(validation -> {
            assertThat(validation.command()).isEqualTo("make test");
            assertThat(validation.timeout()).isEqualTo(Duration.ofMinutes(1));
        });
        assertThat(child.sources()).extracting(SourceFile::fileName).contains("child.toml", "base.toml", "plain.js");
        assertThat(snapshot.loopTypes().get("base").isAbstract()).isTrue();
    }

    @Test
    void aCycleInExtendsIsRejectedAtTheExtendsKey() throws IOException {
        writeTree(root);
        write("loop-types/x.toml", "command = \"true\"\nextends = \"y\"\n");
        write("loop-types/y.toml", "extends = \"x\"\ncommand = \"true\"\n");

        LoadResult result = load(root.resolve("config/taskd.toml"));

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).map(Finding::toString).containsExactly(
                "loop-types/x.toml:2:1: 'extends' makes a cycle: x -> y -> x; remove 'extends' from one of these types",
                "loop-types/y.toml:1:1: 'extends' makes a cycle: y -> x -> y; remove 'extends' from one of these types");
    }

    @Test
    void relativePathsResolveBesideTheConfigFileAsNamedEvenWhenItIsASymlink() throws IOException {
        writeTree(root.resolve("mounted"));
        Path elsewhere = Files.createDirectories(root.resolve("real"));
        Files.move(root.resolve("mounted/config/taskd.toml"), elsewhere.resolve("taskd.toml"));
        Files.createSymbolicLink(root.resolve("mounted/config/taskd.toml"), elsewhere.resolve("taskd.toml"));

        ConfigSnapshot snapshot = loadValid(root.resolve("mounted/config/taskd.toml"));

        assertThat(snapshot.config().loops().paths()).containsExactly(root.resolve("mounted/loop-types"));
        assertThat(snapshot.config().daemon().dataDir()).isEqualTo(root.resolve("mounted/.taskd"));
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsAreFine() throws IOException {
        writeTree(root);
        String config = "\uFEFF[limits]\r\nmax-loops = 5\r\n\r\n[reload]\r\nwatch = false\r\n";
        Files.writeString(root.resolve("config/taskd.toml"), config, StandardCharsets.UTF_8);

        ConfigSnapshot snapshot = loadValid(root.resolve("config/taskd.toml"));

        assertThat(snapshot.config().limits().maxLoops()).isEqualTo(5);
        assertThat(snapshot.config().reload().watch()).isFalse();
    }

    @Test
    void anOversizedFileIsRefusedWithItsSize() throws IOException {
        writeTree(root);
        write("loop-types/huge.toml", "description = \"" + "x".repeat((int) SourceReader.MAX_SOURCE_BYTES) + "\"\n");

        LoadResult result = load(root.resolve("config/taskd.toml"));

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).singleElement().asString()
                .startsWith("loop-types/huge.toml:1:1: loop-types/huge.toml is 1048593 bytes; sources are limited to");
    }

    @Test
    void aMissingConfigFileIsOneFindingNotAnException() {
        LoadResult result = load(root.resolve("nowhere/taskd.toml"));

        assertThat(result.findings()).singleElement().asString()
                .isEqualTo("nowhere/taskd.toml:1:1: nowhere/taskd.toml does not exist");
    }

    @Test
    void defaultsApplyToEveryKeyLeftOut() throws IOException {
        writeTree(root);
        ConfigSnapshot snapshot = loadValid(root.resolve("config/taskd.toml"));

        assertThat(snapshot.config().daemon().listen()).isEqualTo("127.0.0.1:7070");
        assertThat(snapshot.config().limits().maxLoops()).isEqualTo(1000);
        assertThat(snapshot.config().limits().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(snapshot.config().reload().debounce()).isEqualTo(Duration.ofMillis(250));
        assertThat(snapshot.config().auth().tokenFile()).isNull();
        LoopType plain = snapshot.loopTypes().get("plain");
        assertThat(plain.maxIterations()).isEqualTo(10);
        assertThat(plain.onReload()).isEqualTo(LoopType.OnReload.PIN);
        assertThat(plain.validation()).isEmpty();
    }

    /** A small valid tree: types one and two share a template with a partial; plain has a script. */
    private void writeTree(Path base) throws IOException {
        write(base, "config/taskd.toml", "");
        write(base, "templates/shared.mustache", "Do {{task}}.\n{{> footer}}\n");
        write(base, "templates/footer.mustache", "-- iteration {{iteration}}\n");
        write(base, "loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [\"task\"]\n");
        write(base, "loop-types/two.toml", "command = \"false\"\ntemplate = \"shared\"\ninputs = [\"task\"]\n");
        write(base, "loop-types/plain.toml", "script = \"plain.js\"\n");
        write(base, "loop-types/plain.js", "export function iterate(ctx) { ctx.complete('done'); }\n");
    }

    private void write(String relative, String content) throws IOException {
        write(root, relative, content);
    }

    private static void write(Path base, String relative, String content) throws IOException {
        Path file = base.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private LoadResult load(Path config) {
        return new ConfigLoader(root, new GraalScriptCheck()).load(config);
    }

    private ConfigSnapshot loadValid(Path config) {
        LoadResult result = load(config);
        assertThat(result.findings()).isEmpty();
        return result.snapshot().orElseThrow();
    }
}
