package dev.taskd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.taskd.config.DidYouMean;
import dev.taskd.loop.Submission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the body of {@code POST /v1/loops}; every problem is a 400 that names the field. */
final class SubmissionBody {

    /** One JSON value and nothing after it: {@code {"type":"a"} {"type":"b"}} is not a submission. */
    /** The fields of a submission; any other is refused, so that a misspelt one is not silently ignored. */
    static final List<String> FIELDS = List.of("type", "inputs", "priority", "after");

    private static final ObjectReader STRICT = ApiJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SubmissionBody() {
    }

    static Submission parse(String body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"type\":\"hello\",\"inputs\":{}}");
        }
        for (String field : (Iterable<String>) root::fieldNames) {
            if (!FIELDS.contains(field)) {
                String hint = DidYouMean.hint(field, FIELDS);
                throw ApiException.badRequest("unknown field '" + field + "' in the submission; "
                        + (hint.isEmpty() ? "the fields are " + String.join(", ", FIELDS) : hint));
            }
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw ApiException.badRequest("'type' is required: the name of a loop type");
        }
        return new Submission(type.asText(), inputs(root.get("inputs")), priority(root.get("priority")),
                after(root.get("after")));
    }

    private static Map<String, String> inputs(JsonNode inputs) {
        Map<String, String> values = new LinkedHashMap<>();
        if (inputs == null || inputs.isNull()) {
            return values;
        }
        if (!inputs.isObject()) {
            throw ApiException.badRequest("'inputs' must be an object of name: value");
        }
        for (Map.Entry<String, JsonNode> input : inputs.properties()) {
            if (!input.getValue().isValueNode() || input.getValue().isNull()) {
                throw ApiException.badRequest("input '" + input.getKey() + "' must be a string, number or boolean");
            }
            values.put(input.getKey(), input.getValue().asText());
        }
        return values;
    }

    private static int priority(JsonNode priority) {
        if (priority == null || priority.isNull()) {
            return 0;
        }
        if (!priority.isInt()) {
            throw ApiException.badRequest("'priority' must be an integer");
        }
        return priority.asInt();
    }

    private static List<String> after(JsonNode after) {
        List<String> ids = new ArrayList<>();
        if (after == null || after.isNull()) {
            return ids;
        }
        if (!after.isArray()) {
            throw ApiException.badRequest("'after' must be an array of loop ids");
        }
        for (JsonNode id : after) {
            if (!id.isTextual()) {
                throw ApiException.badRequest("'after' must be an array of loop ids");
            }
            ids.add(id.asText());
        }
        return ids;
    }
}
