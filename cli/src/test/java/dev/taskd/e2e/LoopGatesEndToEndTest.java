package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retry, approval gates, cost budgets and the stall breaker, on one real daemon: each test drives
 * loops of its own loop type through the API and the CLI, as a user would.
 */
class LoopGatesEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;
    private static ScriptedModel model;
    private static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        model = new ScriptedModel();
        daemon = new DaemonProcess(home, """
                [llm]
                default = "scripted/test-model"

                [llm.providers.scripted]
                kind = "openai"
                base-url = "%s"

                [llm.providers.scripted.prices."test-model"]
                input = 20000.0
                output = 200000
                """.formatted(model.baseUrl()))
                // Passes from its third iteration on, but may run only two.
                .file("loop-types/late.toml", """
                        command = "true"
                        max-iterations = 2
                        delay = "0s"

                        [validation]
                        command = "test $TASKD_ITERATION -ge 3"
                        """)
                // Writes what it was told to seen.txt; passes every time, but a person has the last word.
                .file("loop-types/gated.toml", """
                        prompt = "told: {{previous-output}}"
                        command = "cat >> seen.txt; echo >> seen.txt"
                        approval = "before-success"
                        delay = "0s"

                        [validation]
                        command = "echo checked"
                        """)
                .file("loop-types/stuck.toml", """
                        command = "true"
                        max-iterations = 10
                        delay = "0s"
                        stall-after = 3

                        [validation]
                        command = "echo 'still 1 failing test'; exit 1"
                        """)
                // The same, but each iteration's output differs: it makes progress of a kind, and never stalls.
                .file("loop-types/moving.toml", """
                        command = "true"
                        max-iterations = 4
                        delay = "0s"
                        stall-after = 3

                        [validation]
                        command = "echo \\"$TASKD_ITERATION failing\\"; exit 1"
                        """)
                // The shipped ralph agent with a budget: each reply (50 tokens in, 5 out) costs 2.0.
                .file("loop-types/budget.toml", """
                        extends = "ralph"
                        max-iterations = 10
                        delay = "0s"
                        max-cost = 5
                        """)
                .start();
    }

    @AfterAll
    static void stop() {
        daemon.close();
        model.close();
    }

    @Test
    void retryContinuesAFailedLoopAtItsNextIterationNumberAndNotesWhoAskedAndWhen() throws Exception {
        String id = daemon.submit("late", "{}", 0);
        daemon.awaitState(id, WAIT, "failed");
        assertThat(daemon.json("/v1/loops/" + id).get("reason").asText()).contains("max-iterations (2)");

        Cli.Result retried = Cli.run(home, daemon.port, "loops", "retry", id.substring(0, 20), "--more", "3");
        daemon.awaitState(id, WAIT, "succeeded");

        assertThat(retried.exit()).as(retried.stderr()).isZero();
        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(loop.get("iterations").asInt()).isEqualTo(3);
        assertThat(numbers(daemon.json("/v1/loops/" + id + "/iterations").get("iterations")))
                .containsExactly(1, 2, 3);
        JsonNode note = loop.get("notes").get(0);
        assertThat(note.get("action").asText()).isEqualTo("retried");
        assertThat(note.get("actor").asText()).isEqualTo("127.0.0.1");
        assertThat(note.get("iteration").asInt()).isEqualTo(2);
        assertThat(note.get("detail").asText()).isEqualTo("up to iteration 5");
        assertThat(note.get("at").asText()).isNotBlank();

        HttpResponse<String> again = daemon.post("/v1/loops/" + id + "/retry", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("it is succeeded").contains("only a failed or cancelled loop can be retried");
        Cli.Result shown = Cli.run(home, daemon.port, "loops", "show", id);
        assertThat(shown.stdout()).contains("retried:").contains("by 127.0.0.1 after iteration 2");
    }

    @Test
    void aGatedLoopWaitsAcrossARestartAndRejectSendsTheReasonToItsNextIteration() throws Exception {
        String id;
        try (SseClient events = SseClient.open(daemon, "/v1/events?type=loop_awaiting_approval", null)) {
            id = daemon.submit("gated", "{}", 0);
            events.await(WAIT, "the loop to await approval", event -> event.data().contains(id));
        }
        assertThat(daemon.state(id)).isEqualTo("awaiting_approval");
        assertThat(daemon.json("/v1/status").get("loops").get("awaiting_approval").asInt()).isGreaterThanOrEqualTo(1);

        daemon.signal("TERM");
        assertThat(daemon.awaitExit(WAIT)).isZero();
        daemon.start();
        assertThat(daemon.state(id)).isEqualTo("awaiting_approval");
        assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt()).isEqualTo(1);

        Cli.Result rejected = Cli.run(home, daemon.port, "loops", "reject", id, "--reason", "add a test for the empty case");
        assertThat(rejected.exit()).as(rejected.stderr()).isZero();
        DaemonProcess.await(WAIT, "the second iteration", () -> iterations(id) == 2);
        daemon.awaitState(id, WAIT, "awaiting_approval");
        Path seen = Path.of(daemon.json("/v1/loops/" + id).get("workdir").asText()).resolve("seen.txt");
        assertThat(Files.readAllLines(seen).stream().filter(line -> !line.isBlank()).map(String::strip))
                .containsExactly("told:", "told: add a test for the empty case");

        Cli.Result approved = Cli.run(home, daemon.port, "loops", "approve", id);
        assertThat(approved.exit()).as(approved.stderr()).isZero();
        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(loop.get("state").asText()).isEqualTo("succeeded");
        assertThat(loop.get("notes")).extracting(note -> note.get("action").asText())
                .containsExactly("rejected", "approved");
        Cli.Result twice = Cli.run(home, daemon.port, "loops", "approve", id);
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.stderr()).contains("only a loop awaiting approval can be approved or rejected");
    }

    @Test
    void aLoopWhoseValidationKeepsPrintingTheSameThingPausesAfterStallAfterIterations() throws Exception {
        String stuck;
        String moving;
        try (SseClient events = SseClient.open(daemon, "/v1/events?type=loop_stalled", null)) {
            stuck = daemon.submit("stuck", "{}", 0);
            moving = daemon.submit("moving", "{}", 0);
            events.await(WAIT, "the stuck loop to stall", event -> event.data().contains(stuck));
        }
        daemon.awaitState(moving, WAIT, "failed");

        JsonNode loop = daemon.json("/v1/loops/" + stuck);
        assertThat(loop.get("state").asText()).isEqualTo("paused");
        assertThat(loop.get("reason").asText()).isEqualTo("no progress in 3 iterations");
        assertThat(loop.get("iterations").asInt()).isEqualTo(3);
        assertThat(daemon.json("/v1/loops/" + moving).get("iterations").asInt()).isEqualTo(4);
    }

    @Test
    void aCostBudgetStopsAnLlmLoopAndARetryCannotSpendPastIt() throws Exception {
        double metricBefore = budgetCostMetric();
        String id = daemon.submit("budget", "{\"task\":\"say done\",\"validate\":\"false\"}", 0);
        daemon.awaitState(id, Duration.ofSeconds(60), "failed");

        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(loop.get("iterations").asInt()).isEqualTo(3);
        assertThat(loop.get("reason").asText()).isEqualTo("cost budget spent: 6.0000 of max-cost 5.0000");
        assertThat(loop.get("cost").asDouble()).isEqualTo(6.0);
        assertThat(loop.get("tokens_in").asLong()).isEqualTo(150);
        assertThat(daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0).get("cost").asDouble())
                .isEqualTo(2.0);
        assertThat(budgetCostMetric() - metricBefore).isEqualTo(6.0);
        Cli.Result shown = Cli.run(home, daemon.port, "loops", "show", id);
        assertThat(shown.stdout()).contains("cost:").contains("6.0000").contains("tokens:").contains("150 in, 15 out");

        assertThat(daemon.post("/v1/loops/" + id + "/retry?more=5", "").statusCode()).isEqualTo(200);
        DaemonProcess.await(WAIT, "the retried loop to fail again", () -> {
            try {
                JsonNode now = daemon.json("/v1/loops/" + id);
                return now.get("state").asText().equals("failed") && now.get("notes").size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt()).isEqualTo(3);
        assertThat(daemon.json("/v1/loops/" + id).get("reason").asText()).startsWith("cost budget spent");
    }

    @Test
    void aCallThatWouldSpendPastTheBudgetWithinAnIterationIsNotSent() throws Exception {
        // A tool call (100 tokens in, 20 out) costs 6.0: past max-cost 5 after the first turn.
        model.then(ScriptedModel.toolCall("call_1", "list_dir", "{\"path\":\".\"}"));
        int before = model.requests.size();
        String id = daemon.submit("budget", "{\"task\":\"look around\",\"validate\":\"false\"}", 0);
        daemon.awaitState(id, Duration.ofSeconds(60), "failed");

        JsonNode loop = daemon.json("/v1/loops/" + id);
        assertThat(model.requests).hasSize(before + 1);
        assertThat(loop.get("iterations").asInt()).isEqualTo(1);
        assertThat(loop.get("cost").asDouble()).isEqualTo(6.0);
        assertThat(loop.get("reason").asText()).isEqualTo("cost budget spent: 6.0000 of max-cost 5.0000");
        assertThat(daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0).get("error").asText())
                .contains("not sent: the loop has spent 6.0 of max-cost 5.0");
    }

    /** {@code taskd_llm_cost_total{type="budget",provider="scripted"}}; 0 before the first priced reply. */
    private static double budgetCostMetric() throws Exception {
        Matcher line = Pattern.compile("taskd_llm_cost_total\\{(?:type=\"budget\",provider=\"scripted\""
                + "|provider=\"scripted\",type=\"budget\")} (\\S+)").matcher(daemon.get("/metrics").body());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static List<Integer> numbers(JsonNode iterations) {
        List<Integer> numbers = new ArrayList<>();
        iterations.forEach(iteration -> numbers.add(iteration.get("number").asInt()));
        return numbers;
    }

    private static int iterations(String id) {
        try {
            return daemon.json("/v1/loops/" + id).get("iterations").asInt();
        } catch (Exception e) {
            return -1;
        }
    }
}
