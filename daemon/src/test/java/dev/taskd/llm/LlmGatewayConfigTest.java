package dev.taskd.llm;

import static dev.taskd.llm.ScriptedLlmServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.config.TaskdConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmGatewayConfigTest {

    @TempDir
    Path dir;

    LlmFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new LlmFixture();
        fixture.server.otherwise(text("ok"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aKeyRotatedInItsFileIsUsedByTheNextCall() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "old-key\n");
        fixture.llm.set(new TaskdConfig.Llm("oa/m", Map.of("oa", fixture.provider("oa", "openai", key))));

        fixture.gateway.chat(ChatRequest.of(null, "one"), new Cancellation());
        Files.writeString(key, "new-key\n");
        fixture.gateway.chat(ChatRequest.of(null, "two"), new Cancellation());

        assertThat(fixture.server.requests()).extracting(sent -> sent.headers().get("authorization"))
                .containsExactly("Bearer old-key", "Bearer new-key");
    }

    @Test
    void aKeyComesFromTheNamedEnvironmentVariable() throws Exception {
        fixture.environment.put("CLAUDE_KEY", "env-key");
        fixture.llm.set(new TaskdConfig.Llm("", Map.of("claude", new TaskdConfig.Provider("claude", "anthropic",
                fixture.server.baseUrl(), "CLAUDE_KEY", null))));

        fixture.gateway.chat(ChatRequest.of("claude/haiku", "hi"), new Cancellation());

        assertThat(fixture.server.requests().getFirst().headers()).containsEntry("x-api-key", "env-key");
    }

    @Test
    void aLocalServerWithoutKeySettingsGetsNoAuthorization() throws Exception {
        fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation());

        assertThat(fixture.server.requests().getFirst().headers()).doesNotContainKey("authorization");
        assertThat(fixture.records.getFirst().model()).isEqualTo("llama-3");
    }

    @Test
    void aMissingEnvironmentVariableSaysWhichAndWhere() {
        fixture.llm.set(new TaskdConfig.Llm("", Map.of("oa", new TaskdConfig.Provider("oa", "openai",
                fixture.server.baseUrl(), "OPENAI_API_KEY", null))));

        LlmException e = failure(ChatRequest.of("oa/gpt-4o", "hi"));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.NOT_CONFIGURED);
        assertThat(e).hasMessage("environment variable OPENAI_API_KEY (api-key-env of [llm.providers.oa])"
                + " is not set in the daemon's environment");
    }

    @Test
    void thePublicEndpointWithoutAKeyIsRefusedBeforeSending() {
        fixture.llm.set(new TaskdConfig.Llm("", Map.of("oa", new TaskdConfig.Provider("oa", "openai", "", "", null))));

        assertThat(failure(ChatRequest.of("oa/gpt-4o", "hi")))
                .hasMessage("provider 'oa' uses the public openai endpoint but has no key:"
                        + " set api-key-env or api-key-file of [llm.providers.oa]");
    }

    @Test
    void anUnknownProviderNamesTheConfiguredOnes() {
        LlmException e = failure(ChatRequest.of("claud/sonnet", "hi"));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.NOT_CONFIGURED);
        assertThat(e).hasMessage("unknown LLM provider 'claud' in model 'claud/sonnet'; configured: claude, local;"
                + " did you mean 'claude'?");
        assertThat(fixture.server.requests()).isEmpty();
    }

    @Test
    void noProviderConfiguredSaysWhatToAdd() {
        fixture.llm.set(new TaskdConfig.Llm("", Map.of()));

        assertThat(failure(ChatRequest.of(null, "hi")))
                .hasMessage("no LLM provider configured: add [llm.providers.NAME] to taskd.toml");
    }

    @Test
    void aModelWithoutProviderShowsTheForm() {
        assertThat(failure(ChatRequest.of("gpt-4o", "hi")))
                .hasMessage("model 'gpt-4o' must be written provider/model, e.g. 'claude/gpt-4o'");
    }

    @Test
    void anUnknownRoleIsRefusedBeforeSending() {
        LlmException e = failure(new ChatRequest(null, null,
                List.of(new Message("system", "x", null, null)), null, null, null));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.INVALID_REQUEST);
        assertThat(e).hasMessageContaining("messages[0].role is 'system'");
        assertThat(fixture.server.requests()).isEmpty();
    }

    private LlmException failure(ChatRequest request) {
        return catchThrowableOfType(LlmException.class, () -> fixture.gateway.chat(request, new Cancellation()));
    }
}
