package dev.taskd.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics over a sample. Nearest-rank percentiles: p99 of 100 samples is the 99th. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** The value at or below which {@code p} percent of the sample lies (nearest rank). */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples to take a percentile of");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (p == 50 && sorted.size() % 2 == 0) {
            int upper = sorted.size() / 2;
            return (sorted.get(upper - 1) + sorted.get(upper)) / 2;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    static double max(List<Double> values) {
        return Collections.max(values);
    }
}
