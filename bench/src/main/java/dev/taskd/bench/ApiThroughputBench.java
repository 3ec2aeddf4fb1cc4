package dev.taskd.bench;

import java.time.Duration;
import java.util.List;

/**
 * Requests per second for {@code GET /v1/status} and {@code POST /v1/loops} from a loopback load
 * generator, against {@code GET /v1/health} (the cheapest route: the HTTP stack's own cost) on the
 * same daemon in the same round. Submitted loops wait {@code after} a loop that never ends, so
 * what is measured is the API and the durable write of each submission, not the loops' work.
 */
final class ApiThroughputBench implements Benchmark {

    private static final int CLIENTS = 16;

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String what() {
        return "requests/s from " + CLIENTS + " loopback clients: GET /v1/status, POST /v1/loops vs GET /v1/health";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        Duration window = Duration.ofSeconds(bench.size(5, 1));
        Figure status = new Figure("GET /v1/status", "req/s", "GET /v1/health", null);
        Figure submit = new Figure("POST /v1/loops", "req/s", "GET /v1/health", null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), """
                [limits]
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
            String base = daemon.http.base();
            var health = LoadGenerator.get(base, "/v1/health");
            var statusRequest = LoadGenerator.get(base, "/v1/status");
            var submitRequest = LoadGenerator.post(base, "/v1/loops",
                    "{\"type\":\"waiting\",\"after\":[\"" + hold + "\"]}");
            LoadGenerator load = new LoadGenerator(CLIENTS);
            Duration warmUp = Duration.ofSeconds(bench.size(3, 1));
            load.requestsPerSecond(health, warmUp);
            load.requestsPerSecond(statusRequest, warmUp);
            load.requestsPerSecond(submitRequest, warmUp);
            for (int round = 0; round < bench.rounds(); round++) {
                double floor = load.requestsPerSecond(health, window);
                status.add(load.requestsPerSecond(statusRequest, window), floor);
                submit.add(load.requestsPerSecond(submitRequest, window), floor);
                Bench.progress("round %d: health %.0f/s, status %.0f/s, submit %.0f/s", round + 1, floor,
                        status.values.getLast(), submit.values.getLast());
            }
        }
        return List.of(status, submit);
    }
}
