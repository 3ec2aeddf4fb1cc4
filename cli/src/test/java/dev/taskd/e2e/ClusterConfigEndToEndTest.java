package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One configuration generation for three real daemons on one PostgreSQL, each with its own
 * configuration directory and data dir. A loop type edited on node a is published and applied by
 * b and c within 2 s (measured on the database's clock: the head's publish time to each node's
 * acknowledgement); a change that does not validate on a is rejected there and never published; a
 * change that validates on a but not on b (a token file only a and c have) is rejected by b alone,
 * which keeps its generation, and status shows b's rejection and the cluster's drift; a rollback on
 * c publishes the old content as a new head, which every node runs again.
 */
class ClusterConfigEndToEndTest extends ClusterDaemons {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cluster-config-token";
    private static final String ECHO = """
            command = "echo {{iteration}}"
            max-iterations = 3
            """;

    @Test
    void aReloadOnOneNodeIsAppliedEverywhereAndRejectionsAreNamedInStatus() throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("config");
        for (String name : List.of("a", "b", "c")) {
            nodes.add(node(name, db));
        }
        List<CompletableFuture<DaemonProcess>> starting = new ArrayList<>();
        for (DaemonProcess node : nodes) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.start();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        starting.forEach(CompletableFuture::join);
        DaemonProcess a = nodes.get(0);
        DaemonProcess b = nodes.get(1);
        DaemonProcess c = nodes.get(2);
        awaitCluster(b, "every node to run the one generation the first start published", cluster ->
                cluster.get("head_generation").asLong() == 1 && everyNode(cluster, node ->
                        node.get("applied_generation").asLong() == 1 && !node.get("drift").asBoolean()));
        for (DaemonProcess node : nodes) {
            assertThat(node.json("/v1/status").get("generation").asLong()).isEqualTo(1);
        }

        // 1. A loop type edited on a: a publishes generation 2, b and c apply it.
        Files.writeString(a.home.resolve("loop-types/echo.toml"), ECHO.replace("3", "7"));
        JsonNode applied = awaitCluster(b, "b and c to apply generation 2", cluster ->
                cluster.get("head_generation").asLong() == 2 && everyNode(cluster, node ->
                        node.get("applied_generation").asLong() == 2));
        Instant published = Instant.parse(applied.get("head_published_at").asText());
        assertThat(applied.get("head_published_by").asText()).isEqualTo("a");
        for (String name : List.of("b", "c")) {
            Duration lag = Duration.between(published, Instant.parse(node(applied, name).get("applied_at").asText()));
            System.out.println("node " + name + " applied generation 2 " + lag.toMillis() + " ms after a published it");
            assertThat(lag).as("node %s applies a published generation within 2 s", name)
                    .isLessThanOrEqualTo(Duration.ofSeconds(2));
        }
        for (DaemonProcess node : List.of(b, c)) {
            assertThat(node.json("/v1/status").get("generation").asLong()).isEqualTo(2);
            assertThat(node.json("/v1/loop-types/echo").get("max_iterations").asInt()).isEqualTo(7);
        }
        assertThat(b.audit("?result=applied")).anySatisfy(entry -> {
            assertThat(entry.get("trigger").asText()).isEqualTo("cluster");
            assertThat(entry.get("actor").asText()).isEqualTo("a");
            assertThat(entry.get("generation_after").asLong()).isEqualTo(2);
        });

        // 2. A change that does not validate on a: rejected there, never published, named in status.
        Files.writeString(a.home.resolve("loop-types/echo.toml"), ECHO.replace("max-iterations = 3", "max-iterations = ["));
        JsonNode invalid = awaitCluster(c, "a's rejection of its invalid file in status", cluster ->
                !node(cluster, "a").get("last_error").isNull());
        assertThat(node(invalid, "a").get("last_error").asText()).contains("loop-types/echo.toml:3:1");
        assertThat(invalid.get("head_generation").asLong()).as("nothing was published").isEqualTo(2);
        assertThat(a.json("/v1/status").get("generation").asLong()).isEqualTo(2);
        // Put back as it was: the files are the head's content again, and the error is gone.
        Files.writeString(a.home.resolve("loop-types/echo.toml"), ECHO.replace("3", "7"));
        awaitCluster(c, "a's last error to clear", cluster -> node(cluster, "a").get("last_error").isNull()
                && cluster.get("head_generation").asLong() == 2);

        // 3. A change that validates on a but not on b, which has no token file: b rejects it alone.
        Files.writeString(a.config, Files.readString(a.config) + "\n[auth]\ntoken-file = \"tokens\"\n");
        JsonNode rejected = awaitCluster(b, "b's rejection of generation 3", cluster ->
                cluster.get("head_generation").asLong() == 3 && node(cluster, "b").get("rejected_generation").asLong() == 3
                        && node(cluster, "a").get("applied_generation").asLong() == 3
                        && node(cluster, "c").get("applied_generation").asLong() == 3);
        assertThat(rejected.get("drift").asBoolean()).isTrue();
        assertThat(node(rejected, "b").get("drift").asBoolean()).isTrue();
        assertThat(node(rejected, "b").get("applied_generation").asLong()).isEqualTo(2);
        assertThat(node(rejected, "b").get("last_error").asText()).contains("generation 3 rejected", "auth.token-file",
                "tokens");
        assertThat(node(rejected, "c").get("drift").asBoolean()).isFalse();
        assertThat(b.json("/v1/status").get("generation").asLong()).as("b keeps its generation").isEqualTo(2);
        assertThat(c.get("/v1/status").statusCode()).as("c runs generation 3: its API wants the token").isEqualTo(401);

        // 4. A rollback on c publishes generation 2's content as generation 4; every node runs it.
        JsonNode rollback = JSON.readTree(c.send("POST", "/v1/rollback?to=2", "", TOKEN).body());
        assertThat(rollback.get("result").asText()).as(rollback.toString()).isEqualTo("applied");
        assertThat(rollback.get("generation_after").asLong()).isEqualTo(4);
        awaitCluster(b, "every node to run generation 4", cluster -> cluster.get("head_generation").asLong() == 4
                && !cluster.get("drift").asBoolean() && everyNode(cluster, node ->
                        node.get("applied_generation").asLong() == 4 && node.get("rejected_generation").isNull()));
        assertThat(a.get("/v1/status").statusCode()).as("the token file is no longer named").isEqualTo(200);
    }

    private DaemonProcess node(String name, PostgresTarget db) throws IOException {
        DaemonProcess daemon = node(name, db, Duration.ofSeconds(5), Duration.ofSeconds(1), "", "")
                .file("loop-types/echo.toml", ECHO);
        if (!name.equals("b")) {
            daemon.file("tokens", TOKEN + "\n");
        }
        return daemon;
    }

    /** Polls {@code daemon}'s status until its cluster object satisfies {@code condition}; that object. */
    private JsonNode awaitCluster(DaemonProcess daemon, String what, Predicate<JsonNode> condition)
            throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        try {
            DaemonProcess.await(Duration.ofSeconds(30), what, () -> {
                try {
                    last[0] = daemon.json("/v1/status").get("cluster");
                    return condition.test(last[0]);
                } catch (IOException | AssertionError e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the cluster: " + last[0] + "\nlogs:\n"
                    + String.join("\n", nodes.stream().map(DaemonProcess::logText).toList()), e);
        }
        return last[0];
    }

    private static boolean everyNode(JsonNode cluster, Predicate<JsonNode> condition) {
        int count = 0;
        for (JsonNode node : cluster.get("nodes")) {
            if (!condition.test(node)) {
                return false;
            }
            count++;
        }
        return count == 3;
    }

    private static JsonNode node(JsonNode cluster, String name) {
        for (JsonNode node : cluster.get("nodes")) {
            if (node.get("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + cluster);
    }
}
