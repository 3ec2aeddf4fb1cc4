package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * Requests per second for {@code GET /v1/status} and {@code POST /v1/loops} from a loopback load
 * generator, against {@code GET /v1/health} (the cheapest route: the HTTP stack's own cost) on the
 * same daemon in the same round.
 *
 * <p>Status is measured with 10,000 loops queued (one loop that never ends holds the only place
 * {@code max-loops} gives, and 10,000 more of its type wait for it), so that a status whose cost
 * grows with the loops shows it. Submissions are measured after, each loop waiting {@code after}
 * the holding one, so what is measured is the API and the durable write of each submission, not
 * the loops' work.
 */
final class ApiThroughputBench implements Benchmark {

    private static final int CLIENTS = 16;

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String what() {
        return "requests/s from " + CLIENTS + " loopback clients: GET /v1/status with 10,000 queued loops,"
                + " POST /v1/loops vs GET /v1/health";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        Duration window = Duration.ofSeconds(bench.size(5, 1));
        Duration warmUp = Duration.ofSeconds(bench.size(3, 1));
        int queued = bench.size(10_000, 500);
        Figure status = new Figure("GET /v1/status, %,d queued loops".formatted(queued), "req/s", "GET /v1/health",
                Target.ratioAtLeast(0.5));
        Figure submit = new Figure("POST /v1/loops", "req/s", "GET /v1/health", null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
                max-loops = 1
                max-queued = 1000000
                [reload]
                watch = false
                """)) {
            daemon.file("loop-types/hold.js", "export function iterate(ctx) { }\n");
            daemon.file("loop-types/hold.toml", """
                    description = "never ends: the loops submitted by the benchmark wait for it"
                    script = "hold.js"
                    max-iterations = 1000000
                    delay = "1h"
                    """);
            daemon.file("loop-types/waiting.toml", """
                    description = "waits for hold"
                    command = "true"
                    [validation]
                    command = "true"
                    """);
            daemon.start();
            String hold = daemon.http.submit("hold");
            daemon.http.submitAll("hold", queued);
            JsonNode before = daemon.http.get("/v1/status");
            if (before.path("loops").path("queued").asInt() != queued) {
                throw new IllegalStateException("expected " + queued + " queued loops before measuring, status says "
                        + before.path("loops"));
            }
            String base = daemon.http.base();
            var health = LoadGenerator.get(base, "/v1/health");
            var statusRequest = LoadGenerator.get(base, "/v1/status");
            var submitRequest = LoadGenerator.post(base, "/v1/loops",
                    "{\"type\":\"waiting\",\"after\":[\"" + hold + "\"]}");
            LoadGenerator load = new LoadGenerator(CLIENTS);
            load.requestsPerSecond(health, warmUp);
            load.requestsPerSecond(statusRequest, warmUp);
            for (int round = 0; round < bench.rounds(); round++) {
                double floor = load.requestsPerSecond(health, window);
                status.add(load.requestsPerSecond(statusRequest, window), floor);
                Bench.progress("round %d: health %.0f/s, status %.0f/s (%.2f×) with %,d queued", round + 1, floor,
                        status.values.getLast(), status.values.getLast() / floor, queued);
            }
            load.requestsPerSecond(submitRequest, warmUp);
            for (int round = 0; round < bench.rounds(); round++) {
                double floor = load.requestsPerSecond(health, window);
                submit.add(load.requestsPerSecond(submitRequest, window), floor);
                Bench.progress("round %d: health %.0f/s, submit %.0f/s", round + 1, floor, submit.values.getLast());
            }
        }
        return List.of(status, submit);
    }
}
