package dev.taskd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.loop.IdempotencyKey;
import dev.taskd.loop.LoopEngine;
import dev.taskd.loop.Submission;
import dev.taskd.loop.Submitted;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** {@code /v1/loops}: submit, list, show, cancel, pause, resume, iterations. */
final class LoopsService implements HttpService {

    private static final int MAX_PAGE = 1000;
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");

    private final LoopEngine engine;
    private final Function<String, Optional<String>> schedules;

    /** @param schedules the schedule that made a loop, by the loop's id */
    LoopsService(LoopEngine engine, Function<String, Optional<String>> schedules) {
        this.engine = engine;
        this.schedules = schedules;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/loops", this::submit)
                .get("/loops", this::list)
                .get("/loops/{id}", this::show)
                .delete("/loops/{id}", this::cancel)
                .post("/loops/{id}/pause", this::pause)
                .post("/loops/{id}/resume", this::resume)
                .get("/loops/{id}/iterations", this::iterations)
                .any("/loops", Allow.only("GET", "POST"))
                .any("/loops/{id}", Allow.only("GET", "DELETE"))
                .any("/loops/{id}/pause", Allow.only("POST"))
                .any("/loops/{id}/resume", Allow.only("POST"))
                .any("/loops/{id}/iterations", Allow.only("GET"));
    }

    /**
     * With an {@code Idempotency-Key}, a repeat of the same request answers as the first did: 201
     * and the loop (as it is now), marked {@code Idempotent-Replayed: true}.
     */
    private void submit(ServerRequest request, ServerResponse response) {
        Submission submission = SubmissionBody.parse(RequestBodies.text(request));
        Optional<String> key = request.headers().first(IDEMPOTENCY_KEY);
        if (key.isEmpty()) {
            Responses.json(response, 201, ApiJson.loop(engine.submit(submission)));
            return;
        }
        Submitted submitted = engine.submit(submission, new IdempotencyKey(key.get()));
        if (submitted.replayed()) {
            response.header(IDEMPOTENT_REPLAYED, "true");
        }
        Responses.json(response, 201, ApiJson.loop(submitted.loop()));
    }

    private void list(ServerRequest request, ServerResponse response) {
        LoopState state = request.query().first("state").map(LoopsService::state).orElse(null);
        String type = request.query().first("type").orElse(null);
        int limit = request.query().first("limit").map(LoopsService::limit).orElse(100);
        String after = request.query().first("after").orElse(null);
        boolean newestFirst = request.query().first("order").map(LoopsService::newestFirst).orElse(false);
        List<LoopRecord> page = engine.loops(state, type, limit, after, newestFirst);
        ObjectNode body = ApiJson.object();
        ArrayNode loops = body.putArray("loops");
        page.forEach(loop -> loops.add(ApiJson.loop(loop)));
        if (page.size() == limit) {
            body.put("next", page.getLast().id());
        } else {
            body.putNull("next");
        }
        Responses.json(response, 200, body);
    }

    /** The loop with what it spent (tokens and cost over all its iterations) and what people did to it. */
    private void show(ServerRequest request, ServerResponse response) {
        LoopRecord loop = engine.find(id(request));
        ObjectNode body = ApiJson.spending(ApiJson.loop(loop), engine.iterations(loop.id()),
                engine.decisions().notes(loop.id()));
        body.set("waiting", engine.waiting(loop.id()).<JsonNode>map(ApiJson::waiting)
                .orElse(NullNode.getInstance()));
        body.put("schedule", schedules.apply(loop.id()).orElse(null));
        Responses.json(response, 200, body);
    }

    private void cancel(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, ApiJson.loop(engine.cancel(id(request))));
    }

    private void pause(ServerRequest request, ServerResponse response) {
        boolean now = request.query().first("now").map(Boolean::parseBoolean).orElse(false);
        Responses.json(response, 200, ApiJson.loop(engine.pause(id(request), now)));
    }

    private void resume(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, ApiJson.loop(engine.resume(id(request))));
    }

    private void iterations(ServerRequest request, ServerResponse response) {
        ObjectNode body = ApiJson.object();
        ArrayNode iterations = body.putArray("iterations");
        engine.iterations(id(request)).forEach(iteration -> iterations.add(ApiJson.iteration(iteration)));
        Responses.json(response, 200, body);
    }

    private static String id(ServerRequest request) {
        return request.path().pathParameters().get("id");
    }

    private static LoopState state(String text) {
        try {
            return LoopState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state '" + text + "' is not one of "
                    + Arrays.stream(LoopState.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** {@code order=oldest} (the default) or {@code order=newest}. */
    private static boolean newestFirst(String text) {
        return switch (text) {
            case "oldest" -> false;
            case "newest" -> true;
            default -> throw ApiException.badRequest("order must be oldest or newest; found '" + text + "'");
        };
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_PAGE + "; found '" + text + "'");
    }
}
