package dev.taskd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The report as a Markdown table: readable in a terminal and pasted unchanged into the README,
 * so the README shows exactly what the harness printed.
 */
final class ReportTable {

    private static final List<String> HEADER = List.of(
            "benchmark", "figure", "median", "min–max", "baseline (same run)", "ratio", "target", "");

    private ReportTable() {
    }

    static String render(List<BenchResult> results) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchResult result : results) {
            if (result.error() != null) {
                rows.add(List.of(result.name(), "failed: " + result.error().replace('|', '/'), "", "", "", "", "", ""));
                continue;
            }
            for (Figure figure : result.figures()) {
                if (figure.measured()) {
                    rows.add(row(result.name(), figure));
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(line(HEADER));
        table.append(line(HEADER.stream().map(column -> "---").toList()));
        rows.forEach(row -> table.append(line(row)));
        return table.toString();
    }

    private static List<String> row(String benchmark, Figure figure) {
        String unit = figure.unit.isEmpty() ? "" : " " + figure.unit;
        String baseline = figure.hasBaseline()
                ? figure.baselineName + ": " + Figure.format(figure.baselineMedian()) + unit : "";
        String ratio = figure.hasBaseline() ? Figure.format(figure.ratio()) + "×" : "";
        return List.of(benchmark, figure.name, Figure.format(figure.median()) + unit,
                Figure.format(figure.min()) + "–" + Figure.format(figure.max()), baseline, ratio,
                figure.target == null ? "" : figure.target.text(), figure.verdict());
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
