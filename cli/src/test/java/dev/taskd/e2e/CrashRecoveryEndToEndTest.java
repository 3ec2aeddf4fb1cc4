package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of the real daemon while loops iterate, then a restart: nothing lost, nothing twice. */
class CrashRecoveryEndToEndTest {

    private static final int LOOPS = 200;
    private static final int COUNT = 5;

    @TempDir
    Path home;

    @Test
    void afterKillNineEveryLoopFinishesOnceAndIterationNumbersContinue() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "")
                .file("loop-types/count.toml", """
                        script = "count.js"
                        max-iterations = 20
                        delay = "200ms"
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
            DaemonProcess.await(Duration.ofSeconds(60), "loops to be part-way", () -> iterated(daemon) >= LOOPS);

            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));
            daemon.start();

            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(120), "succeeded");
            }
            String log = daemon.logText();
            assertThat(resumedAtRestart(log)).isPositive();
            for (String id : ids) {
                JsonNode loop = daemon.json("/v1/loops/" + id);
                JsonNode iterations = daemon.json("/v1/loops/" + id + "/iterations").get("iterations");
                List<Integer> numbers = new ArrayList<>();
                List<String> outcomes = new ArrayList<>();
                iterations.forEach(iteration -> {
                    numbers.add(iteration.get("number").asInt());
                    outcomes.add(iteration.get("outcome").asText());
                });
                assertThat(numbers).as("iteration numbers of " + id).isEqualTo(sequence(numbers.size()));
                assertThat(loop.get("iterations").asInt()).isEqualTo(numbers.size());
                assertThat(loop.get("data").get("counted").asInt()).as("count of " + id).isEqualTo(COUNT);
                assertThat(outcomes.stream().filter("completed"::equals)).hasSize(1);
                assertThat(outcomes.getLast()).isEqualTo("completed");
                assertThat(outcomes.stream().filter(o -> !o.equals("interrupted")))
                        .as("iterations of " + id + " that counted").hasSize(COUNT);
                // At most once: a kill between the store's commit and the log line may leave none.
                assertThat(finishedEvents(log, id)).as("loop_finished events of " + id).isLessThanOrEqualTo(1);
            }
        }
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

    private static int resumedAtRestart(String log) {
        Matcher started = Pattern.compile("\"resumed\":(\\d+)").matcher(log);
        int last = -1;
        while (started.find()) {
            last = Integer.parseInt(started.group(1));
        }
        return last;
    }

    private static List<Integer> sequence(int size) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    private static long finishedEvents(String log, String id) {
        return log.lines().filter(line -> line.contains("\"event\":\"loop_finished\"")
                && line.contains("\"loop_id\":\"" + id + "\"")).count();
    }
}
