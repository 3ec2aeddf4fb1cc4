package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of {@code docs/openapi.json}, asked of the real daemon: it answers with one of
 * its documented statuses, a JSON answer fits the documented schema (checked by a JSON Schema
 * 2020-12 validator, as OpenAPI 3.1 schemas are), an operation with security needs the token and
 * one without does not. The daemon serves the same document at {@code GET /v1/openapi.json}.
 * Besides a succeeded loop, which every loop operation is asked about, a loop that failed and one
 * that awaits approval are retried, approved and rejected; a schedule and a webhook (to a local
 * receiver) give the schedule and delivery lists something to show.
 */
class OpenApiEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        String token = "openapi-" + UUID.randomUUID();
        JsonNode document = JSON.readTree(DOCUMENT.toFile());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", OpenApiEndToEndTest::accept);
        receiver.start();
        try (DaemonProcess daemon = new DaemonProcess(home, configuration(receiver))
                .file("secrets/tokens", token + "\n")
                // Passes, but a person has the last word.
                .file("loop-types/gated.toml", "command = \"true\"\napproval = \"before-success\"\ndelay = \"0s\"\n"
                        + "\n[validation]\ncommand = \"true\"\n")
                // Fails its one iteration.
                .file("loop-types/failing.toml", "command = \"true\"\nmax-iterations = 1\n"
                        + "\n[validation]\ncommand = \"exit 1\"\n")
                .start()) {
            Answer served = send(daemon, "GET", "/v1/openapi.json", null, token);
            assertThat(served.status).isEqualTo(200);
            assertThat(served.body).isEqualTo(Files.readString(DOCUMENT));

            Answer submitted = send(daemon, "POST", "/v1/loops", submission(), token);
            assertThat(submitted.status).as(submitted.body).isEqualTo(201);
            String loopId = JSON.readTree(submitted.body).get("id").asText();
            awaitState(daemon, loopId, token, "succeeded");
            String failed = submit(daemon, "failing", token);
            String gated = submit(daemon, "gated", token);
            String rejected = submit(daemon, "gated", token);
            awaitState(daemon, failed, token, "failed");
            awaitState(daemon, gated, token, "awaiting_approval");
            awaitState(daemon, rejected, token, "awaiting_approval");

            List<String> asked = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (String method : METHODS) {
                    JsonNode operation = path.getValue().path(method);
                    if (operation.isMissingNode() || path.getKey().equals("/v1/shutdown")) {
                        continue;
                    }
                    String concrete = concrete(path.getKey(), loopId);
                    checkAuthentication(daemon, document, method, path.getKey(), concrete, operation);
                    String body = path.getKey().equals("/v1/loops") && method.equals("post") ? submission() : null;
                    check(document, method, path.getKey(), operation, send(daemon, method.toUpperCase(), concrete, body,
                            token));
                    asked.add(method.toUpperCase() + " " + path.getKey());
                }
            }
            assertThat(asked).hasSizeGreaterThan(20);
            JsonNode reload = document.path("paths").path("/v1/reload").path("post");
            check(document, "post", "/v1/reload", reload, send(daemon, "POST", "/v1/reload?dry_run=true", null, token));
            check(document, "post", "/v1/reload", reload, send(daemon, "POST", "/v1/reload?dry_run=true",
                    "{\"sources\":{\"loop-types/hello.toml\":\"script = \\\"hello.js\\\"\\ndelay = \\\"2s\\\"\\n\"}}", token));
            JsonNode list = document.path("paths").path("/v1/loops").path("get");
            check(document, "get", "/v1/loops", list, send(daemon, "GET", "/v1/loops?state=nonsense", null, token));
            check(document, "get", "/v1/loops", list, send(daemon, "GET", "/v1/loops?order=newest&limit=2", null, token));
            check(document, "get", "/v1/loops", list, send(daemon, "GET", "/v1/loops?order=sideways", null, token));
            checkDecisions(daemon, document, token, loopId, failed, gated, rejected);
            checkLists(daemon, document, token);

            JsonNode shutdown = document.path("paths").path("/v1/shutdown").path("post");
            checkAuthentication(daemon, document, "post", "/v1/shutdown", "/v1/shutdown", shutdown);
            check(document, "post", "/v1/shutdown", shutdown, send(daemon, "POST", "/v1/shutdown", null, token));
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
        } finally {
            receiver.stop(0);
        }
    }

    private static String configuration(HttpServer receiver) {
        return """
                [auth]
                token-file = "secrets/tokens"

                [schedules.nightly]
                type = "hello"
                inputs = { count = "1" }
                cron = "0 3 * * *"

                [notify.hook]
                url = "http://127.0.0.1:%d/hook"
                events = ["loop.succeeded", "loop.failed", "loop.awaiting_approval"]
                """.formatted(receiver.getAddress().getPort());
    }

    private static void accept(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /**
     * Retry, approve and reject, each where it applies (200) and where it does not (409), and a
     * bad {@code more} or reason (400); then the loop with its notes as {@code GET /v1/loops/{id}} shows it.
     */
    private void checkDecisions(DaemonProcess daemon, JsonNode document, String token, String succeeded,
                                String failed, String gated, String rejected) throws Exception {
        JsonNode paths = document.path("paths");
        JsonNode retry = paths.path("/v1/loops/{id}/retry").path("post");
        JsonNode approve = paths.path("/v1/loops/{id}/approve").path("post");
        JsonNode reject = paths.path("/v1/loops/{id}/reject").path("post");
        JsonNode show = paths.path("/v1/loops/{id}").path("get");
        check(document, "get", "/v1/loops/{id}", show, send(daemon, "GET", "/v1/loops/" + gated, null, token));
        expect(document, "post", "/v1/loops/{id}/retry", retry, 400, send(daemon, "POST", "/v1/loops/" + failed
                + "/retry?more=many", null, token));
        expect(document, "post", "/v1/loops/{id}/retry", retry, 409, send(daemon, "POST", "/v1/loops/" + succeeded
                + "/retry", null, token));
        expect(document, "post", "/v1/loops/{id}/retry", retry, 200, send(daemon, "POST", "/v1/loops/" + failed
                + "/retry?more=1", null, token));
        expect(document, "post", "/v1/loops/{id}/approve", approve, 409, send(daemon, "POST", "/v1/loops/"
                + succeeded + "/approve", null, token));
        expect(document, "post", "/v1/loops/{id}/approve", approve, 200, send(daemon, "POST", "/v1/loops/" + gated
                + "/approve", null, token));
        expect(document, "post", "/v1/loops/{id}/reject", reject, 400, send(daemon, "POST", "/v1/loops/" + rejected
                + "/reject", "{\"why\":\"no\"}", token));
        expect(document, "post", "/v1/loops/{id}/reject", reject, 409, send(daemon, "POST", "/v1/loops/"
                + succeeded + "/reject", "{\"reason\":\"no test\"}", token));
        expect(document, "post", "/v1/loops/{id}/reject", reject, 200, send(daemon, "POST", "/v1/loops/" + rejected
                + "/reject", "{\"reason\":\"no test\"}", token));
        for (String id : List.of(failed, gated, rejected)) {
            Answer answer = send(daemon, "GET", "/v1/loops/" + id, null, token);
            check(document, "get", "/v1/loops/{id}", show, answer);
            assertThat(parse(answer.body).path("notes")).as(answer.body).hasSize(1);
        }
    }

    /** The schedule and the webhook's deliveries, listed as documented. */
    private void checkLists(DaemonProcess daemon, JsonNode document, String token) throws Exception {
        JsonNode paths = document.path("paths");
        Answer schedules = send(daemon, "GET", "/v1/schedules", null, token);
        check(document, "get", "/v1/schedules", paths.path("/v1/schedules").path("get"), schedules);
        assertThat(parse(schedules.body).path("schedules")).as(schedules.body).hasSize(1);
        JsonNode deliveries = paths.path("/v1/notify/deliveries").path("get");
        Answer delivered = send(daemon, "GET", "/v1/notify/deliveries?target=hook&limit=10", null, token);
        check(document, "get", "/v1/notify/deliveries", deliveries, delivered);
        assertThat(parse(delivered.body).path("deliveries")).as(delivered.body).isNotEmpty();
        expect(document, "get", "/v1/notify/deliveries", deliveries, 400,
                send(daemon, "GET", "/v1/notify/deliveries?limit=0", null, token));
    }

    private static void expect(JsonNode document, String method, String path, JsonNode operation, int status,
                               Answer answer) {
        assertThat(answer.status).as(method.toUpperCase() + " " + path + ": " + answer.body).isEqualTo(status);
        check(document, method, path, operation, answer);
    }

    private String submit(DaemonProcess daemon, String type, String token) throws Exception {
        Answer answer = send(daemon, "POST", "/v1/loops", "{\"type\":\"" + type + "\"}", token);
        assertThat(answer.status).as(answer.body).isEqualTo(201);
        return parse(answer.body).get("id").asText();
    }

    private static String submission() {
        return "{\"type\":\"hello\",\"inputs\":{\"count\":\"1\"}}";
    }

    private static String concrete(String path, String loopId) {
        return path.replace("{id}", loopId)
                .replace("/loop-types/{name}", "/loop-types/hello")
                .replace("/ui/{name}", "/ui/app.js");
    }

    /** Without a token: 401 where the operation has security, an answer where it has none. */
    private void checkAuthentication(DaemonProcess daemon, JsonNode document, String method, String path,
                                     String concrete, JsonNode operation) throws Exception {
        if (!method.equals("get") && !operation.path("security").isArray()) {
            // Refused before it runs; sent so that a write without a token is shown to change nothing.
            assertThat(send(daemon, method.toUpperCase(), concrete, null, null).status)
                    .as(method + " " + path + " without a token").isEqualTo(401);
            return;
        }
        Answer anonymous = send(daemon, method.toUpperCase(), concrete, null, null);
        boolean open = operation.path("security").isArray() && operation.path("security").isEmpty();
        if (open) {
            assertThat(anonymous.status).as(method + " " + path + " needs no token").isNotEqualTo(401);
        } else {
            assertThat(anonymous.status).as(method + " " + path + " without a token").isEqualTo(401);
            check(document, method, path, operation, anonymous);
        }
    }

    private static void check(JsonNode document, String method, String path, JsonNode operation, Answer answer) {
        String what = method.toUpperCase() + " " + path + " answered " + answer.status + " " + answer.body;
        JsonNode response = operation.path("responses").path(String.valueOf(answer.status));
        assertThat(response.isMissingNode()).as(what + ": not a documented status").isFalse();
        if (response.has("$ref")) {
            String name = response.get("$ref").asText().substring("#/components/responses/".length());
            response = document.path("components").path("responses").path(name);
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            assertThat(response.path("content").isMissingNode() || answer.contentType.isEmpty()
                    || fieldNames(response.path("content")).stream().anyMatch(answer.contentType::startsWith))
                    .as(what + ": content type " + answer.contentType + " not documented").isTrue();
            return;
        }
        assertThat(answer.contentType).as(what).startsWith("application/json");
        List<Error> errors = validator(document, schema).validate(parse(answer.body));
        assertThat(errors).as(what + ": does not fit the documented schema").isEmpty();
    }

    /** The response's schema with the document's component schemas as its {@code $defs}. */
    private static Schema validator(JsonNode document, JsonNode schema) {
        String components = document.path("components").path("schemas").toString()
                .replace("#/components/schemas/", "#/$defs/");
        ObjectNode root = (ObjectNode) parse(schema.toString().replace("#/components/schemas/", "#/$defs/"));
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", parse(components));
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void awaitState(DaemonProcess daemon, String loopId, String token, String state) throws Exception {
        DaemonProcess.await(Duration.ofSeconds(30), "loop " + loopId + " to be " + state, () -> {
            try {
                return parse(send(daemon, "GET", "/v1/loops/" + loopId, null, token).body)
                        .path("state").asText().equals(state);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    /**
     * One request; for an event stream only the status and headers are read, and the first bytes
     * of its body, since the stream does not end.
     */
    private Answer send(DaemonProcess daemon, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = response.body()) {
            byte[] bytes = type.startsWith("text/event-stream") ? in.readNBytes(0) : in.readAllBytes();
            return new Answer(response.statusCode(), type, new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private record Answer(int status, String contentType, String body) {
    }
}
