package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.notify.Delivery;
import dev.taskd.notify.DeliveryLog;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /v1/notify/deliveries[?target=NAME][&limit=N]}: the latest webhook deliveries, newest
 * first, with their attempts and results, and the totals since start (delivered, failed, and
 * events dropped because the queue was full). URLs are shown without their path and query.
 */
final class NotifyService implements HttpService {

    private static final int MAX_LIMIT = 500;

    private final DeliveryLog deliveries;

    NotifyService(DeliveryLog deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/notify/deliveries", this::list).any("/notify/deliveries", Allow.only("GET"));
    }

    private void list(ServerRequest request, ServerResponse response) {
        String target = request.query().first("target").orElse(null);
        int limit = request.query().first("limit").map(NotifyService::limit).orElse(100);
        DeliveryLog.View view = deliveries.view(target, limit);
        ObjectNode body = ApiJson.object().put("delivered", view.delivered()).put("failed", view.failed())
                .put("dropped", view.dropped());
        ArrayNode list = body.putArray("deliveries");
        for (Delivery d : view.deliveries()) {
            list.addObject().put("id", d.id()).put("target", d.target()).put("event", d.event())
                    .put("loop_id", d.loopId()).put("url", d.url()).put("at", d.at().toString())
                    .put("state", d.state().label()).put("attempts", d.attempts()).put("status", d.status())
                    .put("error", d.error()).put("duration_ms", d.durationMs());
        }
        Responses.json(response, 200, body);
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit '" + text + "' must be a whole number from 1 to " + MAX_LIMIT);
    }
}
