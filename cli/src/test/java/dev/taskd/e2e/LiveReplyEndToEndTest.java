package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script action's {@code ctx.llm.chat} reply reaches the loop's live output as it streams in,
 * against the real daemon and a scripted OpenAI-compatible model that holds back the rest of
 * its reply after the first piece: {@code GET /v1/loops/{id}/output} shows that piece while the
 * call is still in progress, and the iteration's tokens are recorded as before.
 */
class LiveReplyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void theReplysFirstTokensAreOnTheOutputStreamWhileTheCallStillRuns() throws Exception {
        try (ScriptedModel model = new ScriptedModel().then(ScriptedModel.streamed("The answer ", "is 42."));
             DaemonProcess daemon = new DaemonProcess(home, """
                     [llm]
                     default = "scripted/test-model"

                     [llm.providers.scripted]
                     kind = "openai"
                     base-url = "%s"
                     """.formatted(model.baseUrl()))) {
            daemon.file("loop-types/ask.toml", """
                    description = "Asks the model once and completes with its reply"
                    script = "ask.js"
                    max-iterations = 1
                    iteration-timeout = "1m"
                    """).file("loop-types/ask.js", """
                    export function iterate(ctx) {
                      const reply = ctx.llm.chat({ messages: [{ role: "user", content: "What is the answer?" }] });
                      ctx.complete(reply.content);
                    }
                    """).start();
            String loop = daemon.submit("ask", "{}", 0);

            try (SseClient output = SseClient.open(daemon, "/v1/loops/" + loop + "/output", null)) {
                SseClient.Sse first = output.await(WAIT, "the reply's first piece on the output stream",
                        event -> event.data().contains("The answer"));
                assertThat(daemon.state(loop)).isEqualTo("running");
                assertThat(daemon.json("/v1/loops/" + loop + "/iterations").get("iterations"))
                        .as("the call is still in progress").isEmpty();
                JsonNode chunk = JSON.readTree(first.data());
                assertThat(chunk.get("iteration").asInt()).isEqualTo(1);
                assertThat(chunk.get("command").asText()).isEqualTo("action");
                assertThat(chunk.get("stream").asText()).isEqualTo("stdout");

                model.release();
                DaemonProcess.await(WAIT, "the output stream to end with the loop", output::ended);
                StringBuilder text = new StringBuilder();
                for (SseClient.Sse event : output.events()) {
                    text.append(JSON.readTree(event.data()).get("text").asText());
                }
                assertThat(text.toString()).isEqualTo("The answer is 42.");
            }
            daemon.awaitState(loop, WAIT, "succeeded");
            JsonNode iteration = daemon.json("/v1/loops/" + loop + "/iterations").get("iterations").get(0);
            assertThat(iteration.get("tokens_in").asLong()).isEqualTo(50);
            assertThat(iteration.get("tokens_out").asLong()).isEqualTo(5);
            assertThat(daemon.json("/v1/loops/" + loop).get("reason").asText()).isEqualTo("The answer is 42.");
            assertThat(daemon.get("/v1/loops/" + loop + "/output?iteration=1&follow=false").body())
                    .as("the reply is kept in the action's output file").isEqualTo("The answer is 42.");
        }
    }
}
