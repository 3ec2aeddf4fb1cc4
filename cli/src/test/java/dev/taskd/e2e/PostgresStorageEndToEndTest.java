package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon with {@code storage.backend = "postgres"} on a real PostgreSQL: loops run, a
 * {@code kill -9} and a restart lose nothing and run nothing twice (the restarted node waits for its
 * previous incarnation's lease to end and takes its loops back), and a second daemon with the same
 * node name (both default to the host name) is refused while the first is live.
 */
class PostgresStorageEndToEndTest {

    private static final int LOOPS = 30;
    private static final int COUNT = 5;

    @TempDir
    Path home;

    @TempDir
    Path other;

    @Test
    void loopsSurviveKillNineOnPostgresAndASecondDaemonIsRefused() throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("e2e");
        String storage = """
                [storage]
                backend = "postgres"
                url = "%s"

                [cluster]
                lease = "3s"
                heartbeat = "1s"
                """.formatted(db.url());
        try (DaemonProcess daemon = new DaemonProcess(home, storage)
                .file("loop-types/count.toml", """
                        script = "count.js"
                        max-iterations = 20
                        delay = "100ms"
                        """)
                .file("loop-types/count.js", """
                        export function iterate(ctx) {
                          ctx.state.counted = (ctx.state.counted ?? 0) + 1;
                          if (ctx.state.counted >= %d) ctx.complete("counted");
                        }
                        """.formatted(COUNT))
                .start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < LOOPS; i++) {
                ids.add(daemon.submit("count", "{}", 0));
            }
            assertSecondDaemonRefused(storage);
            DaemonProcess.await(Duration.ofSeconds(30), "loops to be part-way", () -> iterated(daemon) >= LOOPS);

            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));
            daemon.start();

            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(60), "succeeded");
            }
            for (String id : ids) {
                JsonNode loop = daemon.json("/v1/loops/" + id);
                List<Integer> numbers = new ArrayList<>();
                List<String> outcomes = new ArrayList<>();
                daemon.json("/v1/loops/" + id + "/iterations").get("iterations").forEach(iteration -> {
                    numbers.add(iteration.get("number").asInt());
                    outcomes.add(iteration.get("outcome").asText());
                });
                assertThat(numbers).as("iteration numbers of " + id)
                        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, numbers.size()).boxed().toList());
                assertThat(loop.get("data").get("counted").asInt()).as("count of " + id).isEqualTo(COUNT);
                assertThat(outcomes.stream().filter("completed"::equals)).as("completions of " + id).hasSize(1);
            }
        }
    }

    private void assertSecondDaemonRefused(String storage) throws Exception {
        DaemonProcess second = new DaemonProcess(other, storage);
        Process process = Cli.command(other, List.of("start", "--config", second.config.toString()))
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the second daemon exits").isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("is already live in this cluster").contains("give this daemon another daemon.node");
    }

    private static int iterated(DaemonProcess daemon) {
        try {
            int total = 0;
            for (JsonNode loop : daemon.json("/v1/loops?limit=1000").get("loops")) {
                total += loop.get("iterations").asInt();
            }
            return total;
        } catch (Exception e) {
            return 0;
        }
    }
}
