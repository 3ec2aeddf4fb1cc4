package dev.taskd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.taskd.reload.PlanExpectation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The bodies of {@code POST /v1/reload}: candidate sources for a dry run or to apply
 * ({@code {"sources": {"loop-types/ralph.toml": "TEXT"}}}), or a saved plan to apply only as planned
 * (the plan as a dry run answered it: {@code base_generation}, {@code candidate_hash}, {@code sources}
 * of path to hash).
 */
final class PlanBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanBodies() {
    }

    /** The body as JSON; a JSON null for none. */
    static JsonNode parse(String text) {
        if (text.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            JsonNode body = JSON.readTree(text);
            if (!body.isObject()) {
                throw ApiException.badRequest("the reload body must be a JSON object, with \"sources\" for a dry run"
                        + " or a saved plan to apply");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the reload body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Whether the body is candidate sources to apply: {@code sources}, and none of a saved plan's fields. */
    static boolean isCandidates(JsonNode body) {
        return body.has("sources") && !body.has("base_generation") && !body.has("candidate_hash");
    }

    /** A dry run's candidates by relative path; empty when the body names none. */
    static Map<String, byte[]> candidates(JsonNode body) {
        Map<String, byte[]> candidates = new LinkedHashMap<>();
        JsonNode sources = body.path("sources");
        if (sources.isMissingNode() || sources.isNull()) {
            return candidates;
        }
        if (!sources.isObject()) {
            throw ApiException.badRequest("\"sources\" must be an object of path to file content");
        }
        sources.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw ApiException.badRequest("source '" + entry.getKey() + "' must be the file's text");
            }
            candidates.put(entry.getKey(), entry.getValue().asText().getBytes(StandardCharsets.UTF_8));
        });
        return candidates;
    }

    /**
     * What a reload must find: the generation of {@code If-Match} (else the plan's base), and with a
     * plan, its candidate.
     */
    static PlanExpectation expectation(JsonNode plan, OptionalLong ifMatch) {
        if (plan.isNull()) {
            return new PlanExpectation(ifMatch, null, Map.of());
        }
        JsonNode base = plan.path("base_generation");
        JsonNode hash = plan.path("candidate_hash");
        if (!base.canConvertToLong() || !hash.isTextual() || !plan.path("sources").isObject()) {
            throw ApiException.badRequest("a plan to apply needs base_generation, candidate_hash and sources, as"
                    + " 'taskd reload --dry-run --out FILE' writes them");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        plan.path("sources").fields().forEachRemaining(entry -> sources.put(entry.getKey(), entry.getValue().asText()));
        return new PlanExpectation(ifMatch.isPresent() ? ifMatch : OptionalLong.of(base.asLong()), hash.asText(),
                sources);
    }
}
