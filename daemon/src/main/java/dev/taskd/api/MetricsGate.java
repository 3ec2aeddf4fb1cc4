package dev.taskd.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /metrics} while {@code monitoring.metrics} is on in the generation in force, 404
 * while it is off: the key is hot-reloadable, so the route is always there and asks each time.
 * Like every endpoint but health and ready, it needs the token when one is configured.
 */
final class MetricsGate implements HttpService {

    private final DaemonStatus daemon;
    private final HttpService metrics;

    MetricsGate(DaemonStatus daemon, HttpService metrics) {
        this.daemon = daemon;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::gate);
        metrics.routing(rules);
        rules.any("/metrics", Allow.only("GET"));
    }

    private void gate(ServerRequest request, ServerResponse response) {
        if (daemon.generation().snapshot().config().monitoring().metrics()) {
            response.next();
        } else {
            Responses.error(response, 404, "not_found", "metrics are off (monitoring.metrics = false)");
        }
    }
}
