package dev.taskd.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop HTTP load generator on loopback: {@code clients} virtual threads, each sending
 * its next request as soon as the last one is answered, over keep-alive HTTP/1.1 connections.
 * It shares the machine's cores with the daemon, as any load generator on the same host does.
 */
final class LoadGenerator {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int clients;

    LoadGenerator(int clients) {
        this.clients = clients;
    }

    /**
     * Requests per second answered with a 2xx over {@code duration}. Any other answer stops the
     * measurement with the status and body: a benchmark of errors measures nothing.
     */
    double requestsPerSecond(HttpRequest request, Duration duration) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().name("load-", i).start(() -> {
                while (System.nanoTime() < end && failure.get() == null) {
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() / 100 != 2) {
                            failure.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed under load: " + failure.get());
        }
        return answered.get() / ((System.nanoTime() - started) / 1e9);
    }

    static HttpRequest get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    static HttpRequest post(String base, String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
