package dev.taskd.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format, for registration at the root
 * (where Prometheus looks by default), not under {@code /v1}. Each request scrapes anew on the
 * request's own virtual thread; a source that throws answers 500 through Helidon's error path.
 */
public final class MetricsService implements HttpService {

    private final TaskdMetrics metrics;

    public MetricsService(TaskdMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::metrics);
    }

    private void metrics(ServerRequest request, ServerResponse response) {
        String body = metrics.scrape();
        response.header(HeaderNames.CONTENT_TYPE, TaskdMetrics.CONTENT_TYPE);
        response.send(body);
    }
}
