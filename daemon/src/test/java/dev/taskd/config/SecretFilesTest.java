package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What validation says of the token and key files: every problem a finding at the key naming the file. */
class SecretFilesTest {

    @TempDir
    Path root;

    @BeforeEach
    void directories() throws IOException {
        Files.createDirectories(root.resolve("loop-types"));
        Files.createDirectories(root.resolve("templates"));
    }

    @Test
    void aMissingTokenFileIsAnErrorAtItsKeyNamingTheFileAndTheFix() throws IOException {
        LoadResult result = load("[auth]\ntoken-file = \"secrets/tokens\"\n");

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).extracting(Finding::toString).containsExactly(
                "config/taskd.toml:2:1: auth.token-file names config/secrets/tokens, which does not exist;"
                        + " make it a readable file of tokens, one per line, for the user taskd runs as;"
                        + " or correct the path");
    }

    @Test
    void aTokenFileThatIsADirectoryIsAnError() throws IOException {
        Files.createDirectories(root.resolve("config/secrets"));

        LoadResult result = load("[auth]\ntoken-file = \"secrets\"\n");

        assertThat(result.findings()).extracting(Finding::message).containsExactly(
                "auth.token-file names config/secrets, which is a directory, not a file");
    }

    @Test
    void aTokenFileOfCommentsAndBlankLinesHoldsNoTokenAndIsAnError() throws IOException {
        write("config/tokens", "# nobody yet\n\n   \n");

        LoadResult result = load("[auth]\ntoken-file = \"tokens\"\n");

        assertThat(result.valid()).isFalse();
        assertThat(result.findings()).extracting(Finding::toString).containsExactly(
                "config/taskd.toml:2:1: auth.token-file names config/tokens, which holds no token;"
                        + " add a token, one per line ('#' starts a comment); or remove auth.token-file");
    }

    @Test
    void aPublicListenWithoutAnyTokenIsAnErrorAtTheListenKey() throws IOException {
        assumeTrue(System.getenv("TASKD_TOKEN") == null, "TASKD_TOKEN is set in this environment");

        LoadResult result = load("[daemon]\nlisten = \"0.0.0.0:7070\"\n");

        assertThat(result.findings()).extracting(Finding::toString).containsExactly(
                "config/taskd.toml:2:1: daemon.listen is 0.0.0.0:7070, reachable from other machines, but no API"
                        + " token is configured; set auth.token-file (or TASKD_TOKEN), or listen on 127.0.0.1");
    }

    @Test
    void aPublicListenWithATokenFileIsValidAndItsTokensAreHeldAsDigestsOnly() throws IOException {
        write("config/tokens", "# ops\ns3cret-one\ns3cret-two\n");

        LoadResult result = load("[daemon]\nlisten = \"0.0.0.0:7070\"\n[auth]\ntoken-file = \"tokens\"\n");

        assertThat(result.findings()).isEmpty();
        Secrets secrets = result.snapshot().orElseThrow().secrets();
        assertThat(secrets.tokenDigests()).hasSize(2);
        assertThat(secrets.acceptsToken(Secrets.digest("s3cret-two"))).isTrue();
        assertThat(secrets.acceptsToken(Secrets.digest("s3cret-tw"))).isFalse();
        assertThat(result.snapshot().orElseThrow().toString()).doesNotContain("s3cret").contains("tokens=2");
    }

    @Test
    void anEmptyKeyFileIsAWarningAndTheConfigurationStaysValid() throws IOException {
        write("config/local.key", "\n");

        LoadResult result = load("[llm.providers.local]\nkind = \"openai\"\napi-key-file = \"local.key\"\n");

        assertThat(result.valid()).isTrue();
        assertThat(result.findings()).extracting(Finding::toString).containsExactly(
                "config/taskd.toml:3:1: warning: llm.providers.local.api-key-file names config/local.key, which is"
                        + " empty; write the key into it; LLM calls through 'local' fail until then");
    }

    private LoadResult load(String config) throws IOException {
        write("config/taskd.toml", config + "[loops]\npaths = [\"../loop-types\"]\n[templates]\npaths = [\"../templates\"]\n");
        return new ConfigLoader(root, new GraalScriptCheck()).load(root.resolve("config/taskd.toml"));
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
