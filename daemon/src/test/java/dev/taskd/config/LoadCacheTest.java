package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.source.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCacheTest {

    /** Files of the tree below: taskd.toml, two loop types and one template. */
    private static final int TOML_FILES = 3;

    @TempDir
    Path root;

    private final LoadCache cache = new LoadCache();
    private final ScriptValidator scripts = script -> script.text().contains("broken")
            ? Optional.of(Finding.error(script.display(), Position.START, "script does not compile", ""))
            : Optional.empty();

    @BeforeEach
    void writeTree() throws IOException {
        write("taskd.toml", "[loops]\npaths = [\"loop-types\"]\n\n[templates]\npaths = [\"templates\"]\n");
        write("templates/ask.mustache", "Do {{task}}.\n");
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 10\n");
        write("loop-types/fix.js", "export function iterate(ctx) { ctx.complete('done'); }\n");
        write("loop-types/ask.toml", "command = \"echo {{task}}\"\ntemplate = \"ask\"\ninputs = [\"task\"]\n");
    }

    @Test
    void aSecondLoadOfUnchangedFilesParsesAndBuildsNothingAndGivesTheSameTypes() {
        ConfigSnapshot first = load();
        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(TOML_FILES, 2));

        ConfigSnapshot second = load();

        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(0, 0));
        assertThat(second.hash()).isEqualTo(first.hash());
        assertThat(second.loopTypes().get("fix")).isSameAs(first.loopTypes().get("fix"));
        assertThat(second.loopTypes().get("ask")).isSameAs(first.loopTypes().get("ask"));
    }

    @Test
    void aChangedLoopTypeIsParsedAndBuiltAgainAndTheOthersAreNot() throws IOException {
        ConfigSnapshot first = load();
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 11\n");

        ConfigSnapshot second = load();

        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(1, 1));
        assertThat(second.loopTypes().get("fix").maxIterations()).isEqualTo(11);
        assertThat(second.loopTypes().get("ask")).isSameAs(first.loopTypes().get("ask"));
        assertThat(ConfigDiff.between(first, second).changes()).extracting(Change::key)
                .containsExactly("loop-types.fix.max-iterations");
    }

    @Test
    void aChangedScriptRebuildsItsTypeFromTheNewScript() throws IOException {
        ConfigSnapshot first = load();
        write("loop-types/fix.js", "export function iterate(ctx) { ctx.complete('other'); }\n");

        ConfigSnapshot second = load();

        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(0, 1));
        LoopType.Script script = (LoopType.Script) second.loopTypes().get("fix").action();
        assertThat(script.source().text()).contains("other");
        assertThat(second.loopTypes().get("fix").version()).isNotEqualTo(first.loopTypes().get("fix").version());
    }

    @Test
    void aScriptThatBreaksIsReportedAlthoughItsTomlIsUnchanged() throws IOException {
        load();
        write("loop-types/fix.js", "broken\n");

        LoadResult result = loader().load(root.resolve("taskd.toml"));

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).extracting(Finding::message).containsExactly("script does not compile");
    }

    @Test
    void aChangedTemplateRebuildsEveryType() throws IOException {
        load();
        write("templates/ask.mustache", "Now do {{task}}.\n");

        load();

        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(0, 2));
    }

    @Test
    void aFileWhoseContentChangesBackIsLoadedAsItReadsNow() throws IOException {
        load();
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 11\n");
        load();
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 10\n");

        ConfigSnapshot third = load();

        assertThat(third.loopTypes().get("fix").maxIterations()).isEqualTo(10);
        // Only what the previous load used is kept: the first content was dropped, so it is parsed again.
        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(1, 1));
    }

    @Test
    void aTypeWithErrorsIsNotKeptSoItsErrorsAreReportedOnEveryLoad() throws IOException {
        write("loop-types/bad.toml", "command = \"true\"\ntemplate = \"nope\"\n");

        LoadResult first = loader().load(root.resolve("taskd.toml"));
        LoadResult second = loader().load(root.resolve("taskd.toml"));

        assertThat(first.valid()).isFalse();
        assertThat(second.findings()).isEqualTo(first.findings());
        assertThat(cache.lastCounts().built()).isEqualTo(1);
    }

    @Test
    void anUnknownKeyOfAnUnchangedFileIsReportedOnEveryLoad() throws IOException {
        write("loop-types/ask.toml", "command = \"echo {{task}}\"\ninputs = [\"task\"]\nmax-iteration = 3\n");

        LoadResult first = loader().load(root.resolve("taskd.toml"));
        LoadResult second = loader().load(root.resolve("taskd.toml"));

        assertThat(first.findings()).extracting(Finding::message).containsExactly("unknown key 'max-iteration'");
        assertThat(second.findings()).isEqualTo(first.findings());
        assertThat(cache.lastCounts().parsed()).isZero();
    }

    @Test
    void aTypeRemovedAndRestoredIsLoadedAgainAndTheCacheHoldsOnlyTheLastLoad() throws IOException {
        load();
        Path fix = root.resolve("loop-types/fix.toml");
        String content = Files.readString(fix);
        Files.delete(fix);
        assertThat(load().loopTypes()).containsOnlyKeys("ask");

        write("loop-types/fix.toml", content);
        ConfigSnapshot restored = load();

        assertThat(restored.loopTypes()).containsOnlyKeys("ask", "fix");
        assertThat(cache.lastCounts()).isEqualTo(new LoadCache.Counts(1, 1));
    }

    @Test
    void loadsWithTheCacheGiveWhatLoadsWithoutItGive() throws IOException {
        load();
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 12\ndelay = \"2s\"\n");
        write("templates/ask.mustache", "Then do {{task}}.\n");

        ConfigSnapshot cached = load();
        ConfigSnapshot fresh = new ConfigLoader(root, scripts).load(root.resolve("taskd.toml")).snapshot().orElseThrow();

        assertThat(cached.hash()).isEqualTo(fresh.hash());
        assertThat(cached.loopTypes()).isEqualTo(fresh.loopTypes());
        Map<String, String> cachedKeys = EffectiveConfig.of(cached);
        assertThat(cachedKeys).isEqualTo(EffectiveConfig.of(fresh));
    }

    private ConfigSnapshot load() {
        LoadResult result = loader().load(root.resolve("taskd.toml"));
        assertThat(result.findings()).isEmpty();
        return result.snapshot().orElseThrow();
    }

    private ConfigLoader loader() {
        return new ConfigLoader(root, scripts, SourceTree.DISK, cache);
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
