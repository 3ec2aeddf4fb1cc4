package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The admin API of one daemon, over loopback HTTP/1.1 with keep-alive, as any client would use it. */
final class DaemonHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    DaemonHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    /** True once {@code /v1/ready} answers 200; false while nothing listens or it answers 503. */
    boolean ready() {
        try {
            return send("GET", "/v1/ready", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    JsonNode get(String path) throws IOException {
        return json(send("GET", path, null), path);
    }

    JsonNode post(String path, String body) throws IOException {
        return json(send("POST", path, body), path);
    }

    /** The configuration generation in force. */
    long generation() throws IOException {
        return get("/v1/status").path("generation").asLong();
    }

    /** Submits a loop; returns its id. */
    String submit(String type, Map<String, String> inputs, List<String> after) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", type);
        inputs.forEach(body.putObject("inputs")::put);
        after.forEach(body.putArray("after")::add);
        return post("/v1/loops", body.toString()).path("id").asText();
    }

    String submit(String type) throws IOException {
        return submit(type, Map.of(), List.of());
    }

    /**
     * Submits {@code count} loops of {@code type} from 8 concurrent clients; their ids, in no
     * particular order.
     *
     * @throws IllegalStateException when a submission failed (the others stop at once)
     */
    List<String> submitAll(String type, int count) throws InterruptedException {
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            int share = count / 8 + (s < count % 8 ? 1 : 0);
            submitters.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < share && errors.isEmpty(); i++) {
                    try {
                        ids.add(submit(type));
                    } catch (IOException e) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (Thread submitter : submitters) {
            submitter.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a submission failed: " + errors.peek().getMessage(), errors.peek());
        }
        return new ArrayList<>(ids);
    }

    /** The sum of every sample of one metric family in {@code /metrics}, e.g. all outcomes of a counter. */
    double metricSum(String name) throws IOException {
        HttpResponse<String> response = send("GET", "/metrics", null);
        double sum = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + method + " " + path, e);
        }
    }

    private static JsonNode json(HttpResponse<String> response, String path) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
