package dev.taskd.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the model may call.
 *
 * @param parameters a JSON schema of the arguments (an {@code object} schema), or null for none
 */
public record Tool(String name, String description, JsonNode parameters) {
}
