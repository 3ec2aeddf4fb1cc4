package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code after} across nodes: two real daemons on one throwaway PostgreSQL. A loop submitted on
 * one node to run after a loop submitted on the other ends as on one node when that loop fails —
 * failed, naming the dependency, announced once — and runs when it succeeds.
 */
class ClusterDependencyEndToEndTest extends ClusterDaemons {

    @Test
    void aLoopAfterALoopThatFailedOnAnotherNodeFailsNamingItAndOneAfterALoopThatSucceededRuns() throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("after");
        for (String name : List.of("a", "b")) {
            DaemonProcess daemon = node(name, db, Duration.ofSeconds(3), Duration.ofSeconds(1), "", "")
                    .file("loop-types/fails.toml", """
                            command = "sleep 2"
                            max-iterations = 1

                            [validation]
                            command = "false"
                            """)
                    .file("loop-types/passes.toml", """
                            command = "sleep 2"
                            max-iterations = 1
                            """);
            nodes.add(daemon.start());
        }
        DaemonProcess a = nodes.get(0);
        DaemonProcess b = nodes.get(1);
        String failing = a.submit("fails", "{}", 0);
        String passing = a.submit("passes", "{}", 0);
        String afterFailed = submitAfter(b, failing);
        String afterPassed = submitAfter(b, passing);

        a.awaitState(failing, Duration.ofSeconds(60), "failed");
        b.awaitState(afterFailed, Duration.ofSeconds(30), "failed", "succeeded", "cancelled");
        JsonNode ended = a.json("/v1/loops/" + afterFailed);
        assertThat(ended.get("state").asText()).isEqualTo("failed");
        assertThat(ended.get("reason").asText()).isEqualTo("dependency " + failing + " failed");
        assertThat(ended.get("iterations").asInt()).as("it never ran").isZero();
        b.awaitState(afterPassed, Duration.ofSeconds(60), "succeeded");
        String logs = a.logText() + "\n" + b.logText();
        assertThat(logs.lines().filter(l -> l.contains("loop_finished") && l.contains(afterFailed)))
                .as("loop_finished of " + afterFailed + " across both logs").hasSize(1);
    }

    private static String submitAfter(DaemonProcess daemon, String dependency) throws Exception {
        HttpResponse<String> response = daemon.post("/v1/loops",
                "{\"type\":\"passes\",\"inputs\":{},\"after\":[\"" + dependency + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asText();
    }
}
