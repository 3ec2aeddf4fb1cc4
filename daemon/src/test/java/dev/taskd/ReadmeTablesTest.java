package dev.taskd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.metrics.MetricSources;
import dev.taskd.metrics.TaskdMetrics;
import dev.taskd.store.IterationOutcome;
import dev.taskd.store.LoopState;
import dev.taskd.store.StorageHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tables of loop states, iteration outcomes, metrics, status fields and plan fields
 * list exactly what the code has: the enums, the metrics registered, and the fields of the
 * OpenAPI document's schemas (which {@code OpenApiEndToEndTest} holds to the daemon's answers).
 * Each table is found by its header row; its first column is the list.
 */
class ReadmeTablesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path OPENAPI = Path.of("..", "docs", "openapi.json");

    @TempDir
    Path dataDir;

    @Test
    void loopStatesAreTheCodes() throws IOException {
        assertThat(column("| loop state | meaning |")).isEqualTo(lowerNames(LoopState.values()));
    }

    @Test
    void iterationOutcomesAreTheCodesContinuedIncluded() throws IOException {
        assertThat(column("| outcome | an iteration that |")).isEqualTo(lowerNames(IterationOutcome.values()))
                .contains("continued");
    }

    @Test
    void metricsAreTheOnesTheDaemonRegisters() throws IOException {
        TaskdMetrics metrics = new TaskdMetrics(new MetricSources(() -> 1, Map::of, () -> 0, () -> 0, () -> false));
        metrics.storage(StorageHealth.unobserved(dataDir));
        metrics.runtime("0.0.0"); // taskd_build_info, which the daemon adds at start
        List<String> registered = metrics.names().stream().filter(name -> name.startsWith("taskd_")).sorted().toList();
        assertThat(column("| metric | type | labels | what |").stream().sorted().toList()).isEqualTo(registered)
                .contains("taskd_llm_calls_total");
    }

    @Test
    void statusFieldsAreTheApisStatusSchema() throws IOException {
        assertThat(column("| status field | meaning |")).isEqualTo(properties("Status"));
    }

    @Test
    void planFieldsAreTheApisPlanSchema() throws IOException {
        assertThat(column("| plan field | meaning |")).isEqualTo(properties("Plan"));
    }

    /** The first cells of the table under {@code header}, without their backticks. */
    private static List<String> column(String header) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int at = lines.indexOf(header);
        assertThat(at).as("README table headed " + header).isNotNegative();
        List<String> cells = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            cells.add(lines.get(i).split("\\|")[1].strip().replace("`", ""));
        }
        return cells;
    }

    private static List<String> properties(String schema) throws IOException {
        JsonNode node = new ObjectMapper().readTree(OPENAPI.toFile()).path("components").path("schemas").path(schema);
        assertThat(node.path("additionalProperties").asBoolean(true)).as(schema + " is closed").isFalse();
        List<String> names = new ArrayList<>();
        node.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> lowerNames(Enum<?>[] values) {
        return Arrays.stream(values).map(value -> value.name().toLowerCase(Locale.ROOT)).toList();
    }
}
