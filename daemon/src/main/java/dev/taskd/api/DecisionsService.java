package dev.taskd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.loop.LoopEngine;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /v1/loops/{id}/retry}, {@code /approve}, {@code /reject}: what people decide about
 * loops. Each is noted on the loop with the caller, as the API knows it: its address.
 */
final class DecisionsService implements HttpService {

    private final LoopEngine engine;

    DecisionsService(LoopEngine engine) {
        this.engine = engine;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/loops/{id}/retry", this::retry)
                .post("/loops/{id}/approve", this::approve)
                .post("/loops/{id}/reject", this::reject)
                .any("/loops/{id}/retry", Allow.only("POST"))
                .any("/loops/{id}/approve", Allow.only("POST"))
                .any("/loops/{id}/reject", Allow.only("POST"));
    }

    /** {@code ?more=N}: iterations allowed beyond those the loop ran; without it, its type's max-iterations. */
    private void retry(ServerRequest request, ServerResponse response) {
        Integer more = request.query().first("more").map(DecisionsService::more).orElse(null);
        Responses.json(response, 200, ApiJson.loop(engine.decisions().retry(id(request), more, actor(request))));
    }

    private void approve(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, ApiJson.loop(engine.decisions().approve(id(request), actor(request))));
    }

    /** Body {@code {"reason": "..."}}: what the next iteration reads as its previous output. */
    private void reject(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, ApiJson.loop(engine.decisions().reject(id(request), reason(RequestBodies.text(request)),
                actor(request))));
    }

    private static String reason(String body) {
        JsonNode root;
        try {
            root = body.isBlank() ? null : ApiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("reason").isTextual() || root.size() != 1) {
            throw ApiException.badRequest("body must be {\"reason\": \"...\"}: why the loop is rejected, which its"
                    + " next iteration reads as its previous output");
        }
        return root.get("reason").asText();
    }

    private static int more(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("more must be a whole number of iterations; found '" + text + "'");
        }
    }

    private static String id(ServerRequest request) {
        return request.path().pathParameters().get("id");
    }

    /** Who asks: tokens have no names, so the caller's address, as the reload audit records it. */
    private static String actor(ServerRequest request) {
        return request.remotePeer().host();
    }
}
