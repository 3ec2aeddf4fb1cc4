package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {

    private static final String CONFIG = """
            [daemon]
            listen = "127.0.0.1:7070"

            [auth]
            token-file = "tokens"

            [limits]
            max-loops = 1000
            per-type = { one = 5 }

            [llm.providers.local]
            kind = "openai"
            api-key-file = "local.key"
            """;

    @TempDir
    Path root;

    private ConfigSnapshot before;

    @BeforeEach
    void writeTree() throws IOException {
        write("config/taskd.toml", CONFIG);
        write("templates/shared.mustache", "Do {{task}}.\n{{> footer}}\n");
        write("templates/footer.mustache", "-- iteration {{iteration}}\n");
        write("loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [\"task\"]\n");
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 10\nmax-tokens = 1000\n");
        write("loop-types/fix.js", "export function iterate(ctx) { ctx.complete('done'); }\n");
        write("config/tokens", "alpha-token\n");
        write("config/local.key", "sk-local\n");
        before = loadValid();
    }

    @Test
    void anUnchangedConfigurationHasNoChanges() {
        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.scope()).isEmpty();
        assertThat(diff.restartOnly()).isEmpty();
        assertThat(diff.rejection()).isEmpty();
    }

    @Test
    void loweringMaxLoopsIsOneModificationOfScopeLimits() throws IOException {
        write("config/taskd.toml", CONFIG.replace("max-loops = 1000", "max-loops = 500"));

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).containsExactly(
                new Change("limits.max-loops", Change.Kind.MODIFIED, "1000", "500", ReloadScope.LIMITS));
        assertThat(diff.scope()).contains(ReloadScope.LIMITS);
        assertThat(diff.rejection()).isEmpty();
    }

    @Test
    void changingTheListenAddressOrDataDirNeedsARestartAndRejectsTheWholeDiff() throws IOException {
        write("config/taskd.toml", CONFIG.replace("7070", "7071").replace("max-loops = 1000", "max-loops = 500")
                .replace("[daemon]\n", "[daemon]\ndata-dir = \"elsewhere\"\n"));

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.scope()).contains(ReloadScope.FULL);
        assertThat(diff.restartOnly()).extracting(Change::key).containsExactly("daemon.data-dir", "daemon.listen");
        assertThat(diff.changes()).extracting(Change::key).contains("limits.max-loops");
        assertThat(diff.rejection()).contains(
                "daemon.data-dir, daemon.listen change only at restart; restart taskd to apply");
    }

    @Test
    void addingALoopTypeIsOneChangeOfTheWholeType() throws IOException {
        write("loop-types/extra.toml", "command = \"make\"\nmax-iterations = 3\n");

        ConfigSnapshot after = loadValid();
        ConfigDiff diff = ConfigDiff.between(before, after);

        assertThat(diff.changes()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo("loop-types.extra");
            assertThat(change.kind()).isEqualTo(Change.Kind.ADDED);
            assertThat(change.oldValue()).isNull();
            assertThat(change.newValue()).isEqualTo(after.loopTypes().get("extra").version().substring(0, 12));
            assertThat(change.scope()).isEqualTo(ReloadScope.LOOP_TYPES);
        });
    }

    @Test
    void removingALoopTypeIsOneChangeOfTheWholeType() throws IOException {
        Files.delete(root.resolve("loop-types/fix.toml"));

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).containsExactly(new Change("loop-types.fix", Change.Kind.REMOVED,
                before.loopTypes().get("fix").version().substring(0, 12), null, ReloadScope.LOOP_TYPES));
    }

    @Test
    void changingMaxIterationsOfATypeModifiesThatKeyOfThatType() throws IOException {
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 25\nmax-tokens = 1000\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).containsExactly(new Change("loop-types.fix.max-iterations", Change.Kind.MODIFIED,
                "10", "25", ReloadScope.LOOP_TYPES));
    }

    @Test
    void changingATemplatesTextModifiesTheTemplateOnlyWithScopeTemplates() throws IOException {
        write("templates/shared.mustache", "Now do {{task}} differently.\n{{> footer}}\n");

        ConfigSnapshot after = loadValid();
        ConfigDiff diff = ConfigDiff.between(before, after);

        assertThat(after.loopTypes().get("one").version()).isNotEqualTo(before.loopTypes().get("one").version());
        assertThat(diff.changes()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo("templates.shared");
            assertThat(change.kind()).isEqualTo(Change.Kind.MODIFIED);
            assertThat(change.scope()).isEqualTo(ReloadScope.TEMPLATES);
        });
        assertThat(diff.scope()).contains(ReloadScope.TEMPLATES);
    }

    @Test
    void changingAScriptsContentModifiesTheTypesScriptKey() throws IOException {
        write("loop-types/fix.js", "export function iterate(ctx) { ctx.complete('changed'); }\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo("loop-types.fix.script");
            assertThat(change.kind()).isEqualTo(Change.Kind.MODIFIED);
            assertThat(change.oldValue()).startsWith("\"fix.js@").isNotEqualTo(change.newValue());
            assertThat(change.newValue()).startsWith("\"fix.js@");
        });
    }

    @Test
    void theScopeIsTheHighestOfSeveralChangesWhichComeInKeyOrder() throws IOException {
        write("config/taskd.toml", CONFIG.replace("max-loops = 1000", "max-loops = 500")
                + "\n[monitoring]\nlog-level = \"debug\"\n\n[llm.providers.other]\nkind = \"anthropic\"\n");
        write("loop-types/one.toml", "command = \"true\"\ntemplate = \"shared\"\ninputs = [\"task\"]\ndelay = \"5s\"\n");
        write("templates/footer.mustache", "-- done\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).extracting(Change::key).containsExactly(
                "limits.max-loops",
                "llm.providers.other.api-key-env", "llm.providers.other.api-key-file",
                "llm.providers.other.base-url", "llm.providers.other.kind", "llm.providers.other.prices",
                "loop-types.one.delay",
                "monitoring.log-level",
                "templates.footer");
        assertThat(diff.changes()).filteredOn(change -> change.key().startsWith("llm.providers.other"))
                .allSatisfy(change -> assertThat(change.kind()).isEqualTo(Change.Kind.ADDED));
        assertThat(diff.scope()).contains(ReloadScope.LOOP_TYPES);
        assertThat(diff.restartOnly()).isEmpty();
    }

    @Test
    void secretValuesAreRedactedForDisplayButNotBudgetsOrNames() throws IOException {
        write("config/taskd.toml", CONFIG.replace("\"tokens\"", "\"tokens-2\"").replace("local.key", "rotated.key")
                + "api-key-env = \"LOCAL_KEY\"\n");
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 10\nmax-tokens = 2000\n");
        write("config/tokens-2", "alpha-token\n");
        write("config/rotated.key", "sk-local\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid()).redacted();

        assertThat(diff.changes()).containsExactly(
                new Change("auth.token-file", Change.Kind.MODIFIED, "***", "***", ReloadScope.LIMITS),
                new Change("llm.providers.local.api-key-env", Change.Kind.MODIFIED, "\"\"", "\"LOCAL_KEY\"",
                        ReloadScope.LIMITS),
                new Change("llm.providers.local.api-key-file", Change.Kind.MODIFIED, "***", "***", ReloadScope.LIMITS),
                new Change("loop-types.fix.max-tokens", Change.Kind.MODIFIED, "1000", "2000", ReloadScope.LOOP_TYPES));
    }

    @Test
    void gatesBudgetsAndPricesAreKeysOfTheirScopeSoPlansShowThem() throws IOException {
        write("config/taskd.toml", CONFIG + "\n[llm.providers.local.prices.\"gpt-4.1\"]\ninput = 2.0\noutput = 8\n");
        write("loop-types/fix.toml", "script = \"fix.js\"\nmax-iterations = 10\nmax-tokens = 1000\nmax-cost = 2.5\n"
                + "approval = \"before-success\"\nstall-after = 3\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).containsExactlyInAnyOrder(
                new Change("llm.providers.local.prices", Change.Kind.MODIFIED, "{}",
                        "{ \"gpt-4.1\" = { input = 2, output = 8 } }", ReloadScope.LIMITS),
                new Change("loop-types.fix.max-cost", Change.Kind.MODIFIED, "0", "2.5", ReloadScope.LOOP_TYPES),
                new Change("loop-types.fix.approval", Change.Kind.MODIFIED, "\"none\"", "\"before-success\"",
                        ReloadScope.LOOP_TYPES),
                new Change("loop-types.fix.stall-after", Change.Kind.MODIFIED, "0", "3", ReloadScope.LOOP_TYPES));
    }

    @Test
    void aChangeNeverPrintsASecret() {
        Change secret = Change.added("llm.providers.local.api-key-file", "\"secret.key\"");
        Change plain = Change.modified("limits.max-loops", "1000", "500");

        assertThat(secret.redacted().oldValue()).isNull();
        assertThat(secret.redacted().newValue()).isEqualTo(Change.REDACTED);
        assertThat(secret).hasToString("llm.providers.local.api-key-file added *** (limits)");
        assertThat(Change.added("llm.providers.local.api-key-env", "\"OPENAI_API_KEY\"").secret())
                .as("a variable's name is not its value").isFalse();
        assertThat(plain).hasToString("limits.max-loops modified 1000 -> 500 (limits)");
        assertThat(Change.added("templates.api-key", "0123456789ab").secret()).isFalse();
    }

    @Test
    void rotatingTheTokenFileIsAChangeOfAuthTokensShownAsACountOnly() throws IOException {
        write("config/tokens", "# rotated\nbeta-token\ngamma-token\n");

        ConfigSnapshot after = loadValid();
        ConfigDiff diff = ConfigDiff.between(before, after);

        Change expected = new Change("auth.tokens", Change.Kind.MODIFIED, "(redacted: 1 token)", "(redacted: 2 tokens)",
                ReloadScope.LIMITS);
        assertThat(diff.changes()).containsExactly(expected);
        assertThat(diff.redacted().changes()).containsExactly(expected);
        assertThat(after.hash()).as("secrets are not sources").isEqualTo(before.hash());
        assertThat(after.sameAs(before)).isFalse();
        assertThat(diff.toString() + after.secrets()).doesNotContain("alpha-token", "beta-token", "gamma-token");
    }

    @Test
    void reorderingOrCommentingTheSameTokensIsNoChange() throws IOException {
        write("config/tokens", "beta-token\nalpha-token\n");
        ConfigSnapshot two = loadValid();
        write("config/tokens", "# the same two\n\n  alpha-token  \nbeta-token\n");

        ConfigSnapshot commented = loadValid();

        assertThat(ConfigDiff.between(two, commented).isEmpty()).isTrue();
        assertThat(commented.sameAs(two)).isTrue();
    }

    @Test
    void rotatingAnApiKeyFileIsAChangeOfItsProvidersApiKeyWithoutTheKey() throws IOException {
        write("config/local.key", "sk-rotated\n");

        ConfigDiff diff = ConfigDiff.between(before, loadValid());

        assertThat(diff.changes()).containsExactly(new Change("llm.providers.local.api-key", Change.Kind.MODIFIED,
                "(redacted)", "(redacted)", ReloadScope.LIMITS));
        assertThat(diff.scope()).contains(ReloadScope.LIMITS);
    }

    @Test
    void aKeyFileThatGoesMissingIsAChangeToUnreadableAndAWarning() throws IOException {
        Files.delete(root.resolve("config/local.key"));

        LoadResult result = new ConfigLoader(root, new GraalScriptCheck()).load(root.resolve("config/taskd.toml"));

        assertThat(result.valid()).isTrue();
        assertThat(result.findings()).extracting(Finding::toString).containsExactly("config/taskd.toml:13:1: warning:"
                + " llm.providers.local.api-key-file names config/local.key, which does not exist; LLM calls through"
                + " 'local' fail until it can be read by the user taskd runs as");
        assertThat(ConfigDiff.between(before, result.snapshot().orElseThrow()).changes()).containsExactly(
                new Change("llm.providers.local.api-key", Change.Kind.MODIFIED, "(redacted)", "(unreadable)",
                        ReloadScope.LIMITS));
    }

    @Test
    void aChangeWhoseValuesContradictItsKindIsABug() {
        assertThatThrownBy(() -> new Change("limits.max-loops", Change.Kind.ADDED, "1", "2", ReloadScope.LIMITS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Change.added("limits.max-loop", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limits.max-loop");
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
