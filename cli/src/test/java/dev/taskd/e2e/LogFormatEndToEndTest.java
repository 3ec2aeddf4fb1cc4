package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon's log as jq and people read it: into a pipe, one flat JSON object per line
 * whose facts are top-level fields with their types and a stable order; with
 * {@code --log-format text}, one readable line per event.
 */
class LogFormatEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void intoAPipeEachEventIsOneFlatJsonObjectWithTypedFieldsInAStableOrder() throws Exception {
        List<JsonNode> lines;
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            String loop = daemon.submit("hello", "{\"count\":\"2\"}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");
            DaemonProcess.await(Duration.ofSeconds(5), "loop_finished in the log",
                    () -> daemon.logText().contains("loop_finished"));
            lines = parse(daemon.logText());

            List<JsonNode> iterations = events(lines, "iteration_completed");
            assertThat(iterations).hasSize(2);
            for (JsonNode line : iterations) {
                // jq '.loop_id', '.iteration + 1': top-level, typed.
                assertThat(line.get("loop_id").asText()).isEqualTo(loop);
                assertThat(line.get("iteration").isIntegralNumber()).as(line.toString()).isTrue();
                assertThat(line.get("duration_ms").isIntegralNumber()).as(line.toString()).isTrue();
                assertThat(line.get("generation").isIntegralNumber()).as(line.toString()).isTrue();
                assertThat(line.get("level").asText()).isEqualTo("INFO");
                assertThat(Instant.parse(line.get("ts").asText())).isBefore(Instant.now().plusSeconds(1));
                assertThat(line.has("kvpList")).isFalse();
            }
            assertThat(fieldNames(iterations.get(0))).as("the same key order in both lines")
                    .isEqualTo(fieldNames(iterations.get(1)))
                    .startsWith("ts", "level", "event", "loop_id", "type", "iteration", "outcome", "duration_ms",
                            "generation");
            assertThat(iterations.get(1).get("iteration").asInt()).isEqualTo(2);

            JsonNode started = events(lines, "daemon_started").getFirst();
            assertThat(started.get("resumed").isIntegralNumber()).isTrue();
            assertThat(started.get("port").asInt()).isEqualTo(daemon.port);
        }
    }

    @Test
    void withTheTextFormatEachEventIsOneLineForPeople() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").withArguments("--log-format", "text").start()) {
            String loop = daemon.submit("hello", "{\"count\":\"1\"}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");
            DaemonProcess.await(Duration.ofSeconds(5), "loop_finished in the log",
                    () -> daemon.logText().contains("loop_finished"));
            String log = daemon.logText();
            assertThat(log).doesNotContain("{\"ts\"");
            assertThat(log.lines().filter(line -> line.contains(" loop_started ")))
                    .singleElement().asString()
                    .matches("\\d\\d:\\d\\d:\\d\\d INFO loop_started loop_id=" + loop + " type=hello iteration=1");
            assertThat(log).containsPattern("\\d\\d:\\d\\d:\\d\\d INFO daemon_started .*resumed=0");
        }
    }

    @Test
    void anUnknownLogFormatIsAUsageError() throws Exception {
        Process start = Cli.command(home, List.of("start", "--log-format", "yaml")).redirectErrorStream(true).start();
        String said = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(start.exitValue()).as(said).isEqualTo(2);
        assertThat(said).contains("--log-format: the log format is json, text or auto, not 'yaml'");
    }

    private static List<JsonNode> parse(String log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines().toList()) {
            assertThat(line).as("every line is one JSON object").startsWith("{").endsWith("}");
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<JsonNode> events(List<JsonNode> lines, String name) {
        return lines.stream().filter(line -> name.equals(line.path("event").asText())).toList();
    }

    private static List<String> fieldNames(JsonNode line) {
        List<String> names = new ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
