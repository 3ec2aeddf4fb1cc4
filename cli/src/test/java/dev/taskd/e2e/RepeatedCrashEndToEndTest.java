package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.audit.AuditLog;
import dev.taskd.audit.VerifyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty {@code kill -9} of the real daemon at random moments while loops iterate and reloads
 * happen: after every restart the audit chain verifies, and in the end every loop has ended
 * exactly once with an unbroken run of iteration numbers.
 */
class RepeatedCrashEndToEndTest {

    private static final int COUNT = 6;
    private static final String TYPE = """
            description = "%s"
            script = "count.js"
            max-iterations = 50
            delay = "100ms"
            """;

    @TempDir
    Path home;

    @Test
    void twentyKillsUnderLoadLoseNothingAndDoNothingTwice() throws Exception {
        Random random = new Random(20261122);
        List<String> ids = new ArrayList<>();
        try (DaemonProcess daemon = new DaemonProcess(home, "[reload]\ndebounce = \"50ms\"\n")
                .file("loop-types/count.toml", TYPE.formatted("start"))
                .file("loop-types/count.js", """
                        export function iterate(ctx) {
                          ctx.state.counted = (ctx.state.counted ?? 0) + 1;
                          if (ctx.state.counted >= %d) ctx.complete("counted");
                        }
                        """.formatted(COUNT))) {
            for (int crash = 1; crash <= 20; crash++) {
                daemon.start();
                VerifyResult chain = AuditLog.verify(home.resolve("data/audit.jsonl"));
                assertThat(chain.ok()).as("audit chain after restart %d: %s", crash, chain.message()).isTrue();
                for (int i = 0; i < 5; i++) {
                    ids.add(daemon.submit("count", "{}", 0));
                }
                long deadline = System.nanoTime() + Duration.ofMillis(200 + random.nextInt(1200)).toNanos();
                int edit = 0;
                while (System.nanoTime() < deadline) {
                    daemon.file("loop-types/count.toml", TYPE.formatted("crash " + crash + " edit " + edit++));
                    Thread.sleep(random.nextInt(150));
                }
                daemon.signal("KILL");
                daemon.awaitExit(Duration.ofSeconds(10));
            }
            daemon.start();
            assertThat(AuditLog.verify(home.resolve("data/audit.jsonl")).ok()).isTrue();
            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(120), "succeeded");
                JsonNode loop = daemon.json("/v1/loops/" + id);
                List<Integer> numbers = new ArrayList<>();
                List<String> outcomes = new ArrayList<>();
                daemon.json("/v1/loops/" + id + "/iterations").get("iterations").forEach(iteration -> {
                    numbers.add(iteration.get("number").asInt());
                    outcomes.add(iteration.get("outcome").asText());
                });
                for (int i = 0; i < numbers.size(); i++) {
                    assertThat(numbers.get(i)).as("iteration numbers of %s: %s", id, numbers).isEqualTo(i + 1);
                }
                assertThat(loop.get("iterations").asInt()).isEqualTo(numbers.size());
                assertThat(loop.get("data").get("counted").asInt()).as("count of %s", id).isEqualTo(COUNT);
                assertThat(outcomes.stream().filter("completed"::equals)).hasSize(1);
                assertThat(outcomes.getLast()).isEqualTo("completed");
            }
            assertThat(Files.readString(home.resolve("data/audit.jsonl"))).contains("\"result\":\"applied\"");
        }
    }
}
