package dev.taskd.llm;

import static org.assertj.core.api.Assertions.assertThat;

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

class AnthropicWireTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LlmFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new LlmFixture();
        Path key = Files.writeString(dir.resolve("anthropic.key"), "  sk-ant-1 \n");
        fixture.llm.set(new TaskdConfig.Llm("", Map.of("claude", fixture.provider("claude", "anthropic", key))));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void sendsAStreamedMessagesRequestWithKeyVersionTopLevelSystemAndToolResultsInAUserMessage() throws Exception {
        fixture.server.then(ScriptedLlmServer.text("done"));
        ChatRequest request = new ChatRequest("claude/claude-sonnet-4", "be brief", List.of(
                Message.user("read a and b"),
                Message.assistant("Reading.", List.of(
                        new ToolCall("tu_1", "read", JSON.readTree("{\"path\":\"a\"}")),
                        new ToolCall("tu_2", "read", JSON.readTree("{\"path\":\"b\"}")))),
                Message.toolResult("tu_1", "A"),
                Message.toolResult("tu_2", "B")),
                List.of(new Tool("read", "reads a file", JSON.readTree("{\"type\":\"object\"}"))), null, null);

        fixture.gateway.chat(request, new Cancellation());

        ScriptedLlmServer.Recorded sent = fixture.server.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-1")
                .containsEntry("anthropic-version", "2023-06-01").doesNotContainKey("authorization");
        assertThat(sent.body()).isEqualTo(JSON.readTree("""
                {"model":"claude-sonnet-4","max_tokens":4096,"system":"be brief","messages":[
                  {"role":"user","content":[{"type":"text","text":"read a and b"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Reading."},
                    {"type":"tool_use","id":"tu_1","name":"read","input":{"path":"a"}},
                    {"type":"tool_use","id":"tu_2","name":"read","input":{"path":"b"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu_1","content":"A"},
                    {"type":"tool_result","tool_use_id":"tu_2","content":"B"}]}],
                 "tools":[{"name":"read","description":"reads a file","input_schema":{"type":"object"}}],
                 "stream":true}"""));
    }

    @Test
    void readsTextReplyStopReasonAndUsage() throws Exception {
        fixture.server.then(ScriptedLlmServer.text("hi there"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of("claude/claude-haiku", "hi"), new Cancellation());

        assertThat(response).isEqualTo(
                new ChatResponse("hi there", List.of(), "end", new Usage(11, 7), "claude", "claude-haiku"));
    }

    @Test
    void readsToolUseBlocksBesideText() throws Exception {
        fixture.server.then(ScriptedLlmServer.toolUse("tu_9", "grep", "{\"pattern\":\"TODO\"}"));

        ChatResponse response = fixture.gateway.chat(ChatRequest.of("claude/claude-haiku", "todos?"), new Cancellation());

        assertThat(response.content()).isEqualTo("Let me look.");
        assertThat(response.stopReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("tu_9", "grep", JSON.readTree("{\"pattern\":\"TODO\"}")));
        assertThat(response.usage()).isEqualTo(new Usage(20, 5));
    }
}
