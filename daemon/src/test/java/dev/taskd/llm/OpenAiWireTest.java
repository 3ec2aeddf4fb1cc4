package dev.taskd.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

class OpenAiWireTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LlmFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new LlmFixture();
        Path key = Files.writeString(dir.resolve("openai.key"), "sk-test-1\n");
        fixture.llm.set(new TaskdConfig.Llm("", Map.of("oa", fixture.provider("oa", "openai", key))));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void sendsAStreamedChatCompletionsRequestWithBearerKeyToolsAndToolResults() throws Exception {
        fixture.server.then(ScriptedLlmServer.text("done"));
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}");
        ChatRequest request = new ChatRequest("oa/gpt-4o", "be brief", List.of(
                Message.user("read a.txt"),
                Message.assistant(null, List.of(new ToolCall("call_1", "read", JSON.readTree("{\"path\":\"a.txt\"}")))),
                Message.toolResult("call_1", "hello")),
                List.of(new Tool("read", "reads a file", schema)), 256, 0.2);

        fixture.gateway.chat(request, new Cancellation());

        ScriptedLlmServer.Recorded sent = fixture.server.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer sk-test-1")
                .containsEntry("content-type", "application/json");
        assertThat(sent.body()).isEqualTo(JSON.readTree("""
                {"model":"gpt-4o","messages":[
                  {"role":"system","content":"be brief"},
                  {"role":"user","content":"read a.txt"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"read","arguments":"{\\"path\\":\\"a.txt\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"hello"}],
                 "tools":[{"type":"function","function":{"name":"read","description":"reads a file",
                    "parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}],
                 "max_tokens":256,"temperature":0.2,"stream":true,"stream_options":{"include_usage":true}}"""));
    }

    @Test
    void readsTextReplyStopReasonAndUsage() throws Exception {
        fixture.server.then(ScriptedLlmServer.text("hi there"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of("oa/gpt-4o", "hi"), new Cancellation());

        assertThat(response).isEqualTo(new ChatResponse("hi there", List.of(), "end", new Usage(11, 7), "oa", "gpt-4o"));
        assertThat(fixture.records).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(CallRecord.Outcome.OK);
            assertThat(record.usage()).isEqualTo(new Usage(11, 7));
        });
    }

    @Test
    void readsToolCallsWithArgumentsParsedFromJsonText() throws Exception {
        fixture.server.then(ScriptedLlmServer.toolUse("call_9", "grep", "{\"pattern\":\"TODO\"}"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of("oa/gpt-4o", "find todos"), new Cancellation());

        assertThat(response.content()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_9", "grep", JSON.readTree("{\"pattern\":\"TODO\"}")));
        assertThat(response.usage()).isEqualTo(new Usage(20, 5));
    }
}
