package dev.taskd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measured quantity of a benchmark, one value per round, with the baseline measured in the
 * same rounds (or none). Rounds after warm-up only: benchmarks never record their warm-up.
 */
final class Figure {

    final String name;
    final String unit;
    final String baselineName;
    final Target target;
    final List<Double> values = new ArrayList<>();
    final List<Double> baselines = new ArrayList<>();

    /**
     * @param baselineName what the baseline is, or null when the figure has none
     * @param target       null when the issue set no target for this figure
     */
    Figure(String name, String unit, String baselineName, Target target) {
        this.name = name;
        this.unit = unit;
        this.baselineName = baselineName;
        this.target = target;
    }

    /** Records one round; {@code baseline} is ignored for a figure without a baseline. */
    Figure add(double value, double baseline) {
        values.add(value);
        if (hasBaseline()) {
            baselines.add(baseline);
        }
        return this;
    }

    Figure add(double value) {
        if (hasBaseline()) {
            throw new IllegalStateException(name + " needs a baseline value for every round");
        }
        values.add(value);
        return this;
    }

    boolean hasBaseline() {
        return baselineName != null;
    }

    boolean measured() {
        return !values.isEmpty();
    }

    double median() {
        return Stats.median(values);
    }

    double min() {
        return Stats.min(values);
    }

    double max() {
        return Stats.max(values);
    }

    double baselineMedian() {
        return Stats.median(baselines);
    }

    /** The median of the per-round ratios figure / baseline (each round's pair measured together). */
    double ratio() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ratios.add(baselines.get(i) == 0 ? Double.NaN : values.get(i) / baselines.get(i));
        }
        return Stats.median(ratios);
    }

    /** "met", "MISSED" or "" when there is no target. */
    String verdict() {
        if (target == null || !measured()) {
            return "";
        }
        return target.met(this) ? "met" : "MISSED";
    }

    /** Three significant digits, no exponent: 0.00123, 12.3, 1234. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value) && magnitude < 1e15) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }
}
