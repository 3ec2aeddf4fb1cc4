package dev.taskd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The whole run as JSON under {@code bench/results/}: every round's value, not only medians. */
final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static Path write(Path directory, Run run, List<BenchResult> results) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("started_at", run.startedAt().toString())
                .put("finished_at", Instant.now().toString())
                .put("command", run.command())
                .put("rounds", run.bench().rounds())
                .put("quick", run.bench().quick());
        root.set("machine", JSON.valueToTree(run.machine().asMap()));
        ArrayNode benchmarks = root.putArray("benchmarks");
        for (BenchResult result : results) {
            ObjectNode node = benchmarks.addObject()
                    .put("name", result.name())
                    .put("what", result.what())
                    .put("seconds", Math.round(result.seconds()))
                    .put("error", result.error());
            ArrayNode figures = node.putArray("figures");
            result.figures().stream().filter(Figure::measured).forEach(figure -> figures.add(figure(figure)));
        }
        Files.createDirectories(directory);
        String stamp = run.startedAt().toString().replaceAll("[-:]", "").replaceAll("\\..*", "");
        Path file = directory.resolve((run.bench().quick() ? "quick-" : "") + stamp + ".json");
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    private static ObjectNode figure(Figure figure) {
        ObjectNode node = JSON.createObjectNode()
                .put("name", figure.name)
                .put("unit", figure.unit)
                .put("median", figure.median())
                .put("min", figure.min())
                .put("max", figure.max());
        figure.values.forEach(node.putArray("values")::add);
        if (figure.hasBaseline()) {
            ObjectNode baseline = node.putObject("baseline")
                    .put("name", figure.baselineName)
                    .put("median", figure.baselineMedian());
            figure.baselines.forEach(baseline.putArray("values")::add);
            node.put("ratio", figure.ratio());
        }
        if (figure.target != null) {
            node.put("target", figure.target.text()).put("verdict", figure.verdict());
        }
        return node;
    }

    /** What the report needs about the run itself. */
    record Run(Bench bench, Machine machine, String command, Instant startedAt) {
    }
}
