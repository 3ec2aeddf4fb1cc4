package dev.taskd.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call of a tool by the model.
 *
 * @param arguments the arguments as JSON; when an OpenAI-compatible server sends arguments that
 *                  are not valid JSON, the text it sent as a JSON string
 */
public record ToolCall(String id, String name, JsonNode arguments) {
}
