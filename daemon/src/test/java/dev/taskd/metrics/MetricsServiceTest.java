package dev.taskd.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.taskd.reload.ReloadResult;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsServiceTest {

    private final AtomicBoolean storeOpen = new AtomicBoolean(true);
    private final TaskdMetrics metrics = new TaskdMetrics(new MetricSources(() -> 2, this::loops, () -> 5, () -> 1,
            () -> false));
    private final WebServer server = WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(routing -> routing.register(new MetricsService(metrics)))
            .build()
            .start();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    @Test
    void getMetricsAnswersTheTextFormatAndTheCountersMove() throws Exception {
        HttpResponse<String> before = get("/metrics");
        metrics.reload(new ReloadResult.Applied(List.of(), List.of()), Duration.ofMillis(12));
        metrics.iteration("ralph", "passed", Duration.ofSeconds(3));
        HttpResponse<String> after = get("/metrics");

        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusText.parse(before.body())).contains(
                entry("taskd_reloads_total{result=\"applied\"}", 0.0),
                entry("taskd_config_generation{}", 2.0),
                entry("taskd_loops{state=\"running\"}", 4.0),
                entry("taskd_queue_length{}", 5.0));
        assertThat(PrometheusText.parse(after.body())).contains(
                entry("taskd_reloads_total{result=\"applied\"}", 1.0),
                entry("taskd_iterations_total{outcome=\"passed\",type=\"ralph\"}", 1.0),
                entry("taskd_iteration_duration_seconds_count{type=\"ralph\"}", 1.0));
    }

    @Test
    void aSourceThatFailsFailsTheScrapeWith500() throws Exception {
        storeOpen.set(false);

        assertThat(get("/metrics").statusCode()).isEqualTo(500);
    }

    @Test
    void onlyGetMetricsIsServed() throws Exception {
        assertThat(get("/v1/metrics").statusCode()).isEqualTo(404);
    }

    private Map<String, Long> loops() {
        if (!storeOpen.get()) {
            throw new IllegalStateException("store is closed");
        }
        return Map.of("queued", 5L, "running", 4L);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
