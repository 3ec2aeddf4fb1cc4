package dev.taskd.llm;

import static dev.taskd.llm.StreamingLlmServer.data;
import static dev.taskd.llm.StreamingLlmServer.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Threads;
import dev.taskd.config.TaskdConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed replies from both providers through the real gateway and a real HTTP server: text
 * reaches the call's sink while the reply is still being written, tool calls and usage are
 * assembled as a reply sent whole would give them, and a cut stream is retried.
 */
class StreamedRepliesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private StreamingLlmServer server;
    private LlmGateway gateway;
    private final List<CallRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> sunk = new CopyOnWriteArrayList<>();
    private final ReplySink sink = new ReplySink() {
        @Override
        public void text(String delta) {
            sunk.add(delta);
        }

        @Override
        public void discarded(String why) {
            sunk.add("<discarded>");
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = StreamingLlmServer.start();
        TaskdConfig.Llm llm = new TaskdConfig.Llm("", Map.of(
                "oa", new TaskdConfig.Provider("oa", "openai", server.baseUrl(), "", null),
                "claude", new TaskdConfig.Provider("claude", "anthropic", server.baseUrl(), "", null)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("test-llm-http"))).build();
        gateway = new LlmGateway(() -> llm, () -> LlmFixture.limits(8, 1000), http, LlmFixture.FAST,
                Clock.systemUTC(), name -> null, records::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void openAiTextReachesTheSinkBeforeTheReplyEndsAndUsageIsRecorded() throws Exception {
        AtomicBoolean seenBeforeTheRest = new AtomicBoolean();
        server.then(data(openAiText("Hel")),
                awaitSink("Hel", seenBeforeTheRest),
                data(openAiText("lo")),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
                data("{\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}}"),
                data("[DONE]"));

        ChatResponse reply = gateway.chat(ChatRequest.of("oa/gpt-4o", "hi"), new Cancellation(), sink);

        assertThat(seenBeforeTheRest).as("the sink had the first delta before the server wrote the rest").isTrue();
        assertThat(sunk).containsExactly("Hel", "lo");
        assertThat(reply).isEqualTo(new ChatResponse("Hello", List.of(), "end", new Usage(11, 7), "oa", "gpt-4o"));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(CallRecord.Outcome.OK);
            assertThat(record.usage()).isEqualTo(new Usage(11, 7));
        });
    }

    @Test
    void openAiToolCallsAreAssembledFromTheirPieces() throws Exception {
        server.then(data(openAiCall(0, "call_1", "read", "{\\\"pa")),
                data(openAiCall(1, "call_2", "list", "")),
                data(openAiCall(0, null, null, "th\\\":\\\"a.txt\\\"}")),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],"
                        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5}}"),
                data("[DONE]"));

        ChatResponse reply = gateway.chat(ChatRequest.of("oa/gpt-4o", "read a.txt"), new Cancellation(), sink);

        assertThat(reply.toolCalls()).containsExactly(
                new ToolCall("call_1", "read", JSON.readTree("{\"path\":\"a.txt\"}")),
                new ToolCall("call_2", "list", JSON.createObjectNode()));
        assertThat(reply.stopReason()).isEqualTo("tool_calls");
        assertThat(reply.content()).isEmpty();
        assertThat(reply.usage()).isEqualTo(new Usage(20, 5));
        assertThat(sunk).isEmpty();
    }

    @Test
    void anthropicTextReachesTheSinkBeforeTheReplyEndsAndToolInputIsAssembled() throws Exception {
        AtomicBoolean seenBeforeTheRest = new AtomicBoolean();
        server.then(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
                        + "{\"input_tokens\":25,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("ping", "{\"type\":\"ping\"}"),
                event("content_block_delta", anthropicText("Let me")),
                awaitSink("Let me", seenBeforeTheRest),
                event("content_block_delta", anthropicText(" look.")),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"tu_1\",\"name\":\"read\",\"input\":{}}}"),
                event("content_block_delta", anthropicJson("{\\\"path\\\": \\\"a")),
                event("content_block_delta", anthropicJson("\\\"}")),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":15}}"),
                event("message_stop", "{\"type\":\"message_stop\"}"));

        ChatResponse reply = gateway.chat(ChatRequest.of("claude/claude-sonnet-4", "read a"), new Cancellation(), sink);

        assertThat(seenBeforeTheRest).as("the sink had the first delta before the server wrote the rest").isTrue();
        assertThat(sunk).containsExactly("Let me", " look.");
        assertThat(reply).isEqualTo(new ChatResponse("Let me look.",
                List.of(new ToolCall("tu_1", "read", JSON.readTree("{\"path\":\"a\"}"))), "tool_calls",
                new Usage(25, 15), "claude", "claude-sonnet-4"));
        assertThat(records).singleElement().satisfies(record -> assertThat(record.usage()).isEqualTo(new Usage(25, 15)));
    }

    @Test
    void aStreamCutMidwayIsRetriedAndTheSinkIsToldToDiscardWhatItGot() throws Exception {
        server.then(data(openAiText("Hel"))) // ends without [DONE]: cut
                .then(data(openAiText("Hello")), data("{\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}"),
                        data("[DONE]"));

        ChatResponse reply = gateway.chat(ChatRequest.of("oa/gpt-4o", "hi"), new Cancellation(), sink);

        assertThat(reply.content()).isEqualTo("Hello");
        assertThat(sunk).containsExactly("Hel", "<discarded>", "Hello");
        assertThat(records).extracting(CallRecord::outcome)
                .containsExactly(CallRecord.Outcome.RETRIED, CallRecord.Outcome.OK);
        assertThat(records.getFirst().error()).contains("broke off before [DONE]", "after 3 characters");
    }

    @Test
    void cancellingTheCallAbortsAReplyStillStreaming() {
        Cancellation cancellation = new Cancellation();
        ReplySink cancelOnFirstText = delta -> cancellation.cancel(Cancellation.Reason.TIMED_OUT);
        server.then(data(openAiText("Hel")), new StreamingLlmServer.Await(() -> false, Duration.ofSeconds(30)),
                data("[DONE]"));
        long started = System.nanoTime();

        assertThatThrownBy(() -> gateway.chat(ChatRequest.of("oa/gpt-4o", "hi"), cancellation, cancelOnFirstText))
                .isInstanceOfSatisfying(LlmException.class,
                        e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(records).extracting(CallRecord::outcome).containsExactly(CallRecord.Outcome.CANCELLED);
    }

    @Test
    void anAnthropicStreamCutOnEveryAttemptFailsNamingWhereItBroke() {
        for (int i = 0; i < LlmFixture.FAST.errorAttempts(); i++) {
            server.then(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{}}}"),
                    event("content_block_delta", anthropicText("Hi")));
        }

        assertThatThrownBy(() -> gateway.chat(ChatRequest.of("claude/claude-sonnet-4", "hi"), new Cancellation(), sink))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("claude", "broke off before message_stop");
                });
        assertThat(records).extracting(CallRecord::usage).containsOnly(Usage.NONE);
    }

    @Test
    void anErrorEventInTheStreamIsRetriedWithTheProvidersMessage() throws Exception {
        server.then(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                        + "\"message\":\"Overloaded\"}}"))
                .then(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
                                + "{\"input_tokens\":2,\"output_tokens\":1}}}"),
                        event("content_block_delta", anthropicText("ok")),
                        event("message_stop", "{\"type\":\"message_stop\"}"));

        ChatResponse reply = gateway.chat(ChatRequest.of("claude/claude-sonnet-4", "hi"), new Cancellation(), sink);

        assertThat(reply.content()).isEqualTo("ok");
        assertThat(sunk).as("nothing was given before the error, so nothing is discarded").containsExactly("ok");
        assertThat(records.getFirst().error()).contains("Overloaded");
    }

    /** A pause in the reply until the sink has {@code delta}; {@code seen} says whether it came in time. */
    private StreamingLlmServer.Await awaitSink(String delta, AtomicBoolean seen) {
        return new StreamingLlmServer.Await(() -> {
            seen.set(sunk.contains(delta));
            return seen.get();
        }, PATIENCE);
    }

    private static String openAiText(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JSON.valueToTree(text) + "}}]}";
    }

    private static String openAiCall(int index, String id, String name, String argumentsJsonText) {
        String head = id == null ? "" : "\"id\":\"" + id + "\",\"type\":\"function\",";
        String function = (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":\"" + argumentsJsonText
                + "\"";
        return "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + index + "," + head
                + "\"function\":{" + function + "}}]}}]}";
    }

    private static String anthropicText(String text) {
        return "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                + JSON.valueToTree(text) + "}}";
    }

    private static String anthropicJson(String partialJsonText) {
        return "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\"" + partialJsonText + "\"}}";
    }
}
