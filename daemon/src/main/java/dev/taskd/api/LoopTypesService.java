package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.DidYouMean;
import dev.taskd.config.LoopType;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.TreeMap;

/**
 * {@code GET /v1/loop-types} and {@code GET /v1/loop-types/{name}}, of the generation in force. A
 * type a reload removed is still reported, as removed with its draining loops, until they end.
 */
final class LoopTypesService implements HttpService {

    private final DaemonStatus daemon;
    private final LoopEngine engine;

    LoopTypesService(DaemonStatus daemon, LoopEngine engine) {
        this.daemon = daemon;
        this.engine = engine;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/loop-types", this::list).get("/loop-types/{name}", this::show)
                .any("/loop-types", Allow.only("GET"))
                .any("/loop-types/{name}", Allow.only("GET"));
    }

    private void list(ServerRequest request, ServerResponse response) {
        Generation generation = daemon.generation();
        ObjectNode body = ApiJson.object();
        ArrayNode types = body.putArray("loop_types");
        new TreeMap<>(generation.snapshot().loopTypes()).values()
                .forEach(type -> types.add(ApiJson.loopType(type, generation.number())));
        Responses.json(response, 200, body);
    }

    private void show(ServerRequest request, ServerResponse response) {
        Generation generation = daemon.generation();
        String name = request.path().pathParameters().get("name");
        LoopType type = generation.snapshot().loopTypes().get(name);
        if (type == null && !engine.runningOfType(name).isEmpty()) {
            ObjectNode removed = ApiJson.object().put("name", name).put("removed", true)
                    .put("generation", generation.number());
            engine.runningOfType(name).forEach(removed.putArray("draining_loops")::add);
            Responses.json(response, 200, removed);
            return;
        }
        if (type == null) {
            String hint = DidYouMean.hint(name, generation.snapshot().loopTypes().keySet());
            throw new ApiException(404, "not_found", "no loop type '" + name + "'" + (hint.isEmpty() ? "" : "; " + hint));
        }
        Responses.json(response, 200, ApiJson.loopType(type, generation.number()));
    }
}
