package dev.taskd.api;

import dev.taskd.store.StorageHealth;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /v1/health} (liveness) and {@code /v1/ready} (readiness: 503 while starting, draining or
 * while the data dir cannot be written), both without a token, and
 * {@code POST /v1/shutdown}, which needs one like every other endpoint.
 */
final class HealthService implements HttpService {

    private final DaemonStatus daemon;

    HealthService(DaemonStatus daemon) {
        this.daemon = daemon;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health).get("/ready", this::ready).post("/shutdown", this::shutdown)
                .any("/health", Allow.only("GET"))
                .any("/ready", Allow.only("GET"))
                .any("/shutdown", Allow.only("POST"));
    }

    private void health(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, ApiJson.object().put("status", "ok"));
    }

    /** Starts the drain and answers at once; the process exits when the drain ends. */
    private void shutdown(ServerRequest request, ServerResponse response) {
        daemon.shutdown();
        Responses.json(response, 202, ApiJson.object().put("status", "draining"));
    }

    private void ready(ServerRequest request, ServerResponse response) {
        StorageHealth.Status storage = daemon.storage();
        if (daemon.ready() && storage.writable()) {
            Responses.json(response, 200, ApiJson.object().put("status", "ready"));
        } else if (daemon.ready()) {
            Responses.json(response, 503, ApiJson.object().put("status", "storage_unwritable")
                    .put("reason", storage.reason()));
        } else {
            Responses.json(response, 503, ApiJson.object().put("status", daemon.draining() ? "draining" : "starting"));
        }
    }
}
