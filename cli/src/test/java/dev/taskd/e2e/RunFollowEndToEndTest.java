package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskd run --follow} against the real daemon, with a loop whose command prints
 * {@code tick1}, sleeps and prints {@code tick2}, and whose validation fails once, so that the
 * loop backs off before its second iteration: the live output, each iteration's outcome and the
 * wait are printed, {@code --json} prints one JSON object per line, and {@code GET /v1/loops/{id}}
 * says what the loop waits for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunFollowEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path home;
    private DaemonProcess daemon;

    private static final String TICKS = """
            description = "Prints tick1, %s, prints tick2; its validation fails once"
            command = "echo tick1; %s; echo tick2"
            max-iterations = 3
            iteration-timeout = "1m"
            delay = "2s"
            backoff = "exponential"
            max-delay = "1m"

            [validation]
            command = "test -f validated-once || { touch validated-once; exit 1; }"
            timeout = "1m"
            """;

    /**
     * ticks sleeps 1 s between its ticks; gated waits for the file {@code go}, which the test
     * creates once {@code taskd run --follow} (a new JVM, slow on a busy machine) has shown tick1.
     */
    @BeforeAll
    void startDaemon(@TempDir Path home) throws Exception {
        this.home = home;
        daemon = new DaemonProcess(home, "")
                .file("loop-types/ticks.toml", TICKS.formatted("sleeps", "sleep 1"))
                .file("loop-types/gated.toml", TICKS.formatted("waits for the file go",
                        "until [ -e '%s' ]; do sleep 0.1; done".formatted(home.resolve("go"))))
                .start();
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void followPrintsTick1BeforeTick2IsWrittenThenTheOutcomeAndTheBackoff() throws Exception {
        Process run = Cli.command(home, List.of("run", "gated", "--follow", "--url", "http://127.0.0.1:" + daemon.port))
                .redirectError(Files.createTempFile(home, "err", ".txt").toFile()).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = readLines(run, lines);
        try {
            DaemonProcess.await(WAIT, "tick1 from taskd run --follow", () -> lines.contains("tick1"));
            String loop = lines.getFirst().split(" ")[2];
            assertThat(lines).doesNotContain("tick2");
            assertThat(Files.readString(home.resolve("data/loops/" + loop + "/1-action.log")))
                    .as("the command has not written tick2 yet").doesNotContain("tick2");
            Files.writeString(home.resolve("go"), "");

            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("taskd run --follow ends with the loop").isTrue();
            reader.join(Duration.ofSeconds(5));
            assertThat(run.exitValue()).as(String.join("\n", lines)).isZero();
            List<String> expected = List.of("tick1", "tick2", "iteration 1: failed", "next iteration in",
                    "(exponential backoff)", "tick1", "tick2", "iteration 2: passed", "succeeded");
            assertThat(inOrder(lines, expected)).as(String.join("\n", lines)).isTrue();
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void followWithJsonPrintsOneJsonObjectPerEvent() throws Exception {
        Cli.Result result = Cli.run(home, daemon.port, "run", "ticks", "--follow", "--json");

        assertThat(result.exit()).as(result.stderr()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).allMatch(event -> event.isObject() && event.path("event").isTextual());
        assertThat(events.getFirst().path("event").asText()).isEqualTo("submitted");
        assertThat(events).anyMatch(event -> event.path("event").asText().equals("output")
                && event.path("text").asText().contains("tick1") && event.path("iteration").isInt());
        assertThat(events).anyMatch(event -> event.path("event").asText().equals("iteration")
                && event.path("number").asInt() == 1 && event.path("outcome").asText().equals("failed"));
        JsonNode waiting = events.stream().filter(event -> event.path("event").asText().equals("waiting"))
                .findFirst().orElseThrow(() -> new AssertionError("no waiting event in\n" + result.stdout()));
        assertThat(waiting.path("reason").asText()).isEqualTo("backoff");
        assertThat(waiting.path("delay_ms").isNumber()).isTrue();
        assertThat(waiting.path("delay_ms").asLong()).isEqualTo(2000);
        JsonNode last = events.getLast();
        assertThat(last.path("event").asText()).isEqualTo("finished");
        assertThat(last.path("loop").path("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void theLoopShowsItsBackoffAndADependantTheLoopItWaitsFor() throws Exception {
        String first = daemon.submit("ticks", "{}", 0);
        JsonNode created = JSON.readTree(daemon.post("/v1/loops", "{\"type\":\"ticks\",\"after\":[\"" + first + "\"]}")
                .body());
        String second = created.get("id").asText();
        AtomicReference<JsonNode> waiting = new AtomicReference<>();
        DaemonProcess.await(WAIT, "the dependant to wait for " + first, () -> {
            waiting.set(waitingOf(second));
            return waiting.get().path("reason").asText().equals("after");
        });
        assertThat(waiting.get().get("loop_id").asText()).isEqualTo(first);
        assertThat(waiting.get().get("detail").asText()).isEqualTo("waiting for loop " + first);

        DaemonProcess.await(WAIT, first + " to back off", () -> {
            waiting.set(waitingOf(first));
            return waiting.get().path("reason").asText().equals("backoff");
        });
        assertThat(waiting.get().get("delay_ms").asLong()).isEqualTo(2000);
        assertThat(Instant.parse(waiting.get().get("until").asText())).isAfter(Instant.now().minusSeconds(1));
        assertThat(daemon.delete("/v1/loops/" + second).statusCode()).isEqualTo(200);
        daemon.awaitState(first, WAIT, "succeeded");
        assertThat(daemon.json("/v1/loops/" + first).get("waiting").isNull()).isTrue();
    }

    private JsonNode waitingOf(String loop) {
        try {
            return daemon.json("/v1/loops/" + loop).get("waiting");
        } catch (Exception e) {
            throw new AssertionError("GET /v1/loops/" + loop, e);
        }
    }

    private static Thread readLines(Process process, List<String> lines) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (Exception e) {
                // the process ended
            }
        });
    }

    /** Whether lines containing each expected piece come in that order. */
    private static boolean inOrder(List<String> lines, List<String> expected) {
        int at = 0;
        for (String line : lines) {
            if (at < expected.size() && line.contains(expected.get(at))) {
                at++;
                if (at < expected.size() && line.contains(expected.get(at))) {
                    at++;
                }
            }
        }
        return at == expected.size();
    }
}
