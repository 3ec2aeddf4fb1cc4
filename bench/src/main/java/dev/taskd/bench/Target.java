package dev.taskd.bench;

/**
 * What a figure should reach, from the issue that asked for it: either the figure itself is at
 * most a limit ({@code ≤ 300 ms}) or its ratio to the baseline is at most ({@code ≤ 1.3×}) or at
 * least ({@code ≥ 0.5×}, for a rate that must keep up with its baseline's) a limit.
 */
record Target(Kind kind, double limit, String text) {

    enum Kind { FIGURE_AT_MOST, RATIO_AT_MOST, RATIO_AT_LEAST }

    static Target atMost(double limit, String unit) {
        return new Target(Kind.FIGURE_AT_MOST, limit, "<= " + Figure.format(limit) + " " + unit);
    }

    static Target ratioAtMost(double limit) {
        return new Target(Kind.RATIO_AT_MOST, limit, "ratio <= " + Figure.format(limit));
    }

    static Target ratioAtLeast(double limit) {
        return new Target(Kind.RATIO_AT_LEAST, limit, "ratio >= " + Figure.format(limit));
    }

    /** Whether the figure's median (and its median ratio) meets the target. */
    boolean met(Figure figure) {
        return switch (kind) {
            case FIGURE_AT_MOST -> figure.median() <= limit;
            case RATIO_AT_MOST -> figure.hasBaseline() && figure.ratio() <= limit;
            case RATIO_AT_LEAST -> figure.hasBaseline() && figure.ratio() >= limit;
        };
    }
}
