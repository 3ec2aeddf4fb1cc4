package dev.taskd.config;

import java.util.Set;

/**
 * The parts of taskd.toml that belong to one node of a cluster — {@code [daemon]}, {@code [storage]}
 * and {@code [cluster]}, as tables or as dotted or inline keys at the top — split from the rest,
 * which the cluster shares. A node publishes {@link #shared} text and applies a published text
 * {@link #compose}d with its own node-local lines, so each node keeps its name, listen address,
 * data dir and database settings whatever another node published.
 *
 * <p>Line by line, as written: a line belongs to the table whose header last preceded it, or, above
 * the first header, to the key it starts. Lines inside a multi-line string or a multi-line array
 * or inline table go with the line that opened it. Every line ends in {@code \n} in the results,
 * so that {@code shared(compose(shared, local)) == shared}.
 */
public final class NodeSections {

    /** The top-level tables that stay per node. */
    public static final Set<String> LOCAL = Set.of("daemon", "storage", "cluster");

    private NodeSections() {
    }

    /** The lines of {@code toml} the cluster shares. */
    public static String shared(String toml) {
        return split(toml).shared();
    }

    /**
     * {@code shared} (a published text) with the node-local lines of {@code local} (this node's
     * taskd.toml): its top-level node-local keys first, where dotted keys must stand, then the
     * shared text, then its node-local tables.
     */
    public static String compose(String shared, String local) {
        Split own = split(local);
        return own.top() + split(shared).shared() + own.tables();
    }

    private record Split(String top, String shared, String tables) {
    }

    private static Split split(String toml) {
        StringBuilder top = new StringBuilder();
        StringBuilder shared = new StringBuilder();
        StringBuilder tables = new StringBuilder();
        StringBuilder target = shared;
        boolean inTable = false;
        String quote = null; // the delimiter of a multi-line string the line continues, else null
        int depth = 0; // brackets and braces open across lines
        String[] lines = toml.split("\\R", -1);
        // After a final line break split yields one empty string: that line is not there.
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int n = 0; n < count; n++) {
            String line = lines[n];
            if (quote == null && depth == 0) {
                String trimmed = line.strip();
                if (trimmed.startsWith("[")) {
                    inTable = true;
                    target = LOCAL.contains(firstSegment(trimmed.replaceFirst("^\\[+", ""))) ? tables : shared;
                } else if (!inTable && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    target = LOCAL.contains(firstSegment(trimmed)) ? top : shared;
                } else if (!inTable) {
                    target = shared;
                }
            }
            target.append(line).append('\n');
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quote != null) {
                    if (line.startsWith(quote, i)) {
                        i += quote.length() - 1;
                        quote = null;
                    } else if (ch == '\\' && quote.charAt(0) == '"') {
                        i++;
                    }
                } else if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
                    quote = line.substring(i, i + 3);
                    i += 2;
                } else if (ch == '"' || ch == '\'') {
                    i = closing(line, i);
                } else if (ch == '#') {
                    break;
                } else if ((ch == '[' || ch == '{') && !(depth == 0 && line.strip().startsWith("["))) {
                    depth++;
                } else if ((ch == ']' || ch == '}') && depth > 0) {
                    depth--;
                }
            }
        }
        return new Split(top.toString(), shared.toString(), tables.toString());
    }

    /** The first dotted segment of a key (or a header's name), quotes removed. */
    private static String firstSegment(String text) {
        String key = text.split("[.=\\]\\s]", 2)[0];
        return key.replace("\"", "").replace("'", "");
    }

    /** The index of the quote that closes the one-line string opened at {@code start}. */
    private static int closing(String line, int start) {
        char quote = line.charAt(start);
        for (int i = start + 1; i < line.length(); i++) {
            if (quote == '"' && line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == quote) {
                return i;
            }
        }
        return line.length();
    }
}
