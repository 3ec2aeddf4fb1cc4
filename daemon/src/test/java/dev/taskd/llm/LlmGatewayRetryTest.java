package dev.taskd.llm;

import static dev.taskd.llm.CallRecord.Outcome.FAILED;
import static dev.taskd.llm.CallRecord.Outcome.OK;
import static dev.taskd.llm.CallRecord.Outcome.RATE_LIMITED;
import static dev.taskd.llm.CallRecord.Outcome.RETRIED;
import static dev.taskd.llm.ScriptedLlmServer.malformed;
import static dev.taskd.llm.ScriptedLlmServer.rateLimited;
import static dev.taskd.llm.ScriptedLlmServer.slow;
import static dev.taskd.llm.ScriptedLlmServer.status;
import static dev.taskd.llm.ScriptedLlmServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskd.concurrent.Cancellation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LlmGatewayRetryTest {

    /** One error allowed, so a test passes only if 429s stay outside the error budget. */
    static final RetryPolicy ONE_ERROR = new RetryPolicy(Duration.ofMillis(300), 1, Duration.ofMillis(10),
            Duration.ofMillis(40), 3, Duration.ofMillis(10), Duration.ofSeconds(2));

    LlmFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void rateLimitedTwiceThenSucceedsOutsideTheErrorBudget() throws Exception {
        fixture = new LlmFixture(ONE_ERROR);
        fixture.server.then(rateLimited("0"), rateLimited("0"), text("ok"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation());

        assertThat(response.content()).isEqualTo("ok");
        assertThat(fixture.outcomes()).containsExactly(RATE_LIMITED, RATE_LIMITED, OK);
        assertThat(fixture.records.getFirst().status()).isEqualTo(429);
    }

    @Test
    void honoursRetryAfterInSeconds() throws Exception {
        fixture = new LlmFixture();
        fixture.server.then(rateLimited("1"), text("ok"));
        long started = System.nanoTime();

        fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void givesUpAfterTheBudgetOfRateLimitedAttempts() throws Exception {
        fixture = new LlmFixture(ONE_ERROR);
        fixture.server.otherwise(rateLimited("0"));

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation()));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMITED);
        assertThat(e).hasMessageContaining("3 rate-limited attempts").hasMessageContaining("rate limit reached");
        assertThat(fixture.server.requests()).hasSize(3);
    }

    @Test
    void serverErrorTwiceThenSucceeds() throws Exception {
        fixture = new LlmFixture();
        fixture.server.then(status(500, "boom"), status(503, "busy"), text("ok"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation());

        assertThat(response.content()).isEqualTo("ok");
        assertThat(fixture.outcomes()).containsExactly(RETRIED, RETRIED, OK);
    }

    @Test
    void serverErrorsBeyondTheBudgetFailWithTheProvidersMessage() throws Exception {
        fixture = new LlmFixture();
        fixture.server.otherwise(status(500, "the engine is overloaded"));

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation()));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e).hasMessageContaining("local/llama-3: failed after 4 attempts")
                .hasMessageContaining("HTTP 500").hasMessageContaining("the engine is overloaded");
        assertThat(fixture.outcomes()).containsExactly(RETRIED, RETRIED, RETRIED, FAILED);
    }

    @Test
    void malformedRepliesAreRetriedThenFail() throws Exception {
        fixture = new LlmFixture();
        fixture.server.otherwise(malformed());

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation()));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
        assertThat(e).hasMessageContaining("malformed reply");
        assertThat(fixture.server.requests()).hasSize(4);
    }

    @Test
    void aClientErrorFailsAtOnceWithTheProvidersMessage() throws Exception {
        fixture = new LlmFixture();
        fixture.server.then(status(400, "max_tokens: must be at most 8192"), text("never"));

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation()));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.REJECTED);
        assertThat(e).hasMessageContaining("HTTP 400").hasMessageContaining("max_tokens: must be at most 8192");
        assertThat(fixture.outcomes()).containsExactly(FAILED);
    }

    @Test
    void aRequestTimeoutIsRetried() throws Exception {
        fixture = new LlmFixture(new RetryPolicy(Duration.ofMillis(300), 2, Duration.ofMillis(10),
                Duration.ofMillis(40), 3, Duration.ofMillis(10), Duration.ofSeconds(2)));
        fixture.server.then(slow(Duration.ofSeconds(5), text("late")), text("ok"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation());

        assertThat(response.content()).isEqualTo("ok");
        assertThat(fixture.outcomes()).containsExactly(RETRIED, OK);
        assertThat(fixture.records.getFirst().error()).contains("no reply from provider 'local'");
    }
}
