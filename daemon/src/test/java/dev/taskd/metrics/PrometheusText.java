package dev.taskd.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: there is no Java
 * parser of it short of a heavy dependency, so this checks the grammar itself and throws
 * {@link IllegalArgumentException} naming the line on anything Prometheus would refuse, or would
 * read differently from what was meant: a malformed line, a sample before its family's
 * {@code # TYPE} or outside it, a family typed twice, a duplicate series, a histogram whose
 * buckets are not cumulative or whose {@code +Inf} bucket differs from its {@code _count}.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">exposition formats</a>
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern LE = Pattern.compile("(?:^|,)le=\"([^\"]*)\"");
    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_sum", "_count");

    private PrometheusText() {
    }

    /** Series ({@code name{a="x",b="y"}}, labels in the order written) to value; throws as above. */
    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        String family = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.putIfAbsent(m.group(1), m.group(2)) != null) {
                    throw new IllegalArgumentException(where + "family typed twice");
                }
                family = m.group(1);
            } else if (HELP.matcher(line).matches() || line.isEmpty()) {
                continue;
            } else if (line.startsWith("#")) {
                throw new IllegalArgumentException(where + "a comment that is neither HELP nor TYPE");
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                checkFamily(where, m.group(1), family, types.get(family));
                String series = m.group(1) + "{" + labels(where, m.group(2)) + "}";
                if (samples.put(series, value(where, m.group(3))) != null) {
                    throw new IllegalArgumentException(where + "duplicate series");
                }
            } else {
                throw new IllegalArgumentException(where + "not a HELP, TYPE or sample line");
            }
        }
        checkHistograms(types, samples);
        return samples;
    }

    private static void checkFamily(String where, String name, String family, String type) {
        boolean belongs = family != null && (name.equals(family) || "histogram".equals(type)
                && name.startsWith(family) && HISTOGRAM_SUFFIXES.contains(name.substring(family.length())));
        if (!belongs || "histogram".equals(type) && name.equals(family)) {
            throw new IllegalArgumentException(where + "sample outside the family typed before it (" + family + ")");
        }
    }

    private static String labels(String where, String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder labels = new StringBuilder();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(where + "malformed labels at column " + at);
            }
            labels.append(labels.isEmpty() ? "" : ",").append(m.group(1)).append("=\"").append(m.group(2)).append('"');
            at = m.end();
        }
        return labels.toString();
    }

    private static double value(String where, String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new IllegalArgumentException(where + "not a number: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    /** Buckets cumulative in {@code le} order and ending at {@code +Inf} == {@code _count}, per series. */
    private static void checkHistograms(Map<String, String> types, Map<String, Double> samples) {
        Map<String, Double> previous = new LinkedHashMap<>();
        Map<String, Double> infinite = new HashMap<>();
        samples.forEach((series, value) -> {
            int brace = series.indexOf('{');
            String family = series.substring(0, brace).replaceFirst("_bucket$", "");
            if (!series.substring(0, brace).endsWith("_bucket") || !"histogram".equals(types.get(family))) {
                return;
            }
            String labels = series.substring(brace + 1, series.length() - 1);
            Matcher le = LE.matcher(labels);
            if (!le.find()) {
                throw new IllegalArgumentException(series + ": a bucket without 'le'");
            }
            String others = (labels.substring(0, le.start()) + labels.substring(le.end())).replaceFirst("^,", "");
            String count = family + "_count{" + others + "}";
            Double before = previous.put(count, value);
            if (before != null && value < before) {
                throw new IllegalArgumentException(series + ": buckets are not cumulative");
            }
            if (le.group(1).equals("+Inf")) {
                infinite.put(count, value);
            }
        });
        previous.keySet().forEach(count -> {
            if (infinite.get(count) == null || !infinite.get(count).equals(samples.get(count))) {
                throw new IllegalArgumentException(count + " is " + samples.get(count) + " but its +Inf bucket is "
                        + infinite.get(count));
            }
        });
    }
}
