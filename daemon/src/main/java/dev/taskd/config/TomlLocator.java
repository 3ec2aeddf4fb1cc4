package dev.taskd.config;

import dev.taskd.source.Position;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Finds where each key of a TOML document stands, which the TOML tree parser does not report.
 *
 * <p>{@link #locate} maps every key path of the document to the {@link Position} of the first
 * character of the path's last key segment (its opening quote, if quoted). A path joins key
 * segments with {@code .}; segments are unquoted and unescaped, so {@code "a.b"} stays the one
 * segment {@code a.b}. Paths are absolute: {@code k} under {@code [t.u]} is {@code t.u.k}. Table
 * headers and dotted keys also give their parents ({@code [a.b]} gives {@code a} and {@code
 * a.b}), and a path keeps the position where it first appears. The n-th table (from 0) of an
 * array of tables {@code [[x]]} is {@code x[n]}, its keys {@code x[n].k}, and a nested {@code
 * [[x.y]]} is {@code x[n].y[m]}. Element i of an array value is {@code arr[i]}, placed at the
 * element's first character; arrays and inline tables inside values give paths such as {@code
 * arr[i][j]} and {@code arr[i].name}.
 *
 * <p>Lines and columns count from 1, one column per Java {@code char} (a tab is one column);
 * lines end at {@code \n}, and a leading byte order mark is not a column.
 *
 * <p>The text is expected to be TOML that a parser has already accepted. On anything else the
 * locator is lenient: it never throws, always terminates, and returns what it found.
 */
public final class TomlLocator {

    /** Deeper nesting is abandoned so that hostile input cannot exhaust the stack. */
    private static final int MAX_DEPTH = 200;

    /** A date that may be followed by a space and a time, as in {@code 1979-05-27 07:32:00}. */
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final String text;
    private final int end;
    private final int[] lineStarts;
    private final Map<String, Position> found = new LinkedHashMap<>();
    /** Tables so far per array-of-tables path; the count gives the index of the latest one. */
    private final Map<String, Integer> tableArrays = new HashMap<>();
    private int pos;
    private int depth;

    private TomlLocator(String text) {
        this.text = text;
        this.end = text.length();
        this.lineStarts = IntStream.concat(IntStream.of(0),
                IntStream.range(0, end).filter(i -> text.charAt(i) == '\n').map(i -> i + 1)).toArray();
    }

    /**
     * Every key path in the document mapped to where it stands; never throws.
     *
     * @param text TOML source, possibly starting with a byte order mark; {@code null} gives an empty map
     * @return an unmodifiable map in order of first appearance
     */
    public static Map<String, Position> locate(String text) {
        if (text == null) {
            return Map.of();
        }
        TomlLocator locator = new TomlLocator(text.startsWith("\uFEFF") ? text.substring(1) : text);
        try {
            locator.document();
        } catch (RuntimeException e) {
            // Backstop: a scanner bug should cost some locations, never the loading of a config.
        }
        return Collections.unmodifiableMap(locator.found);
    }

    private void document() {
        String table = null;
        while (skipBlank()) {
            if (peek() == '[') {
                boolean arrayTable = text.startsWith("[[", pos);
                pos += arrayTable ? 2 : 1;
                skipSpace();
                table = key(null, arrayTable);
            } else {
                keyValue(table);
            }
            // Valid lines end here or in a comment; on invalid ones this resyncs at the next line.
            skipLine();
        }
    }

    private void keyValue(String table) {
        String path = key(table, false);
        skipSpace();
        if (path != null && peek() == '=') {
            pos++;
            skipSpace();
            value(path);
        }
    }

    /**
     * Reads a possibly dotted key below {@code parent}, recording the path of each segment, and
     * returns the full path ({@code null} if there is no key). A path that is an array of tables
     * continues into its latest table, or a new one at the end of a {@code [[...]]} header.
     */
    private String key(String parent, boolean arrayTable) {
        String path = parent;
        boolean any = false;
        while (pos < end) {
            int start = pos;
            String name = keySegment();
            if (name == null) {
                break;
            }
            path = parent == null && !any ? name : path + "." + name;
            any = true;
            found.putIfAbsent(path, position(start));
            skipSpace();
            boolean last = peek() != '.';
            Integer tables = arrayTable && last ? tableArrays.merge(path, 1, Integer::sum) : tableArrays.get(path);
            if (tables != null) {
                path += "[" + (tables - 1) + "]";
                found.putIfAbsent(path, position(start));
            }
            if (last) {
                break;
            }
            pos++;
            skipSpace();
        }
        return any ? path : null;
    }

    private String keySegment() {
        char quote = peek();
        int start = pos;
        if (quote != '"' && quote != '\'') {
            while (pos < end && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
                pos++;
            }
            return pos > start ? text.substring(start, pos) : null;
        }
        StringBuilder name = new StringBuilder();
        for (pos++; pos < end && peek() != quote && peek() != '\n'; ) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote == '"' && pos < end) {
                unescape(name);
            } else {
                name.append(c);
            }
        }
        if (peek() == quote) {
            pos++;
        }
        return name.toString();
    }

    private void unescape(StringBuilder out) {
        char c = text.charAt(pos++);
        int simple = "btnfre".indexOf(c);
        int digits = c == 'u' ? 4 : c == 'U' ? 8 : 0;
        String hex = text.substring(pos, Math.min(end, pos + digits));
        long codePoint = digits > 0 && hex.length() == digits && hex.chars().allMatch(HexFormat::isHexDigit)
                ? Long.parseLong(hex, 16) : -1;
        if (simple >= 0) {
            out.append("\b\t\n\f\r\u001B".charAt(simple));
        } else if (codePoint >= 0 && codePoint <= Character.MAX_CODE_POINT) {
            out.appendCodePoint((int) codePoint);
            pos += digits;
        } else {
            out.append(c); // \" and \\, and on invalid input whatever follows the backslash
        }
    }

    private void value(String path) {
        if (pos >= end || depth >= MAX_DEPTH) {
            pos = end;
            return;
        }
        depth++;
        switch (peek()) {
            case '"', '\'' -> string();
            case '[' -> array(path);
            case '{' -> inlineTable(path);
            default -> bareValue();
        }
        depth--;
    }

    private void array(String path) {
        pos++;
        for (int index = 0; skipBlank() && peek() != ']'; ) {
            if (peek() == ',') {
                pos++;
            } else {
                String element = path + "[" + index++ + "]";
                found.putIfAbsent(element, position(pos));
                value(element); // always consumes a char, so the loop ends
            }
        }
        pos = Math.min(end, pos + 1);
    }

    private void inlineTable(String path) {
        pos++;
        // Newlines and comments here are TOML 1.1; accepting them costs nothing on 1.0.
        while (skipBlank() && peek() != '}') {
            int start = pos;
            keyValue(path);
            if (pos == start) {
                pos++; // a comma, or junk that is no key
            }
        }
        pos = Math.min(end, pos + 1);
    }

    private void string() {
        char quote = peek();
        String triple = String.valueOf(quote).repeat(3);
        boolean multiLine = text.startsWith(triple, pos);
        pos += multiLine ? 3 : 1;
        while (pos < end && (multiLine ? !text.startsWith(triple, pos) : peek() != quote && peek() != '\n')) {
            pos += quote == '"' && peek() == '\\' ? 2 : 1;
        }
        pos = Math.min(end, pos + (multiLine ? 3 : peek() == quote ? 1 : 0));
        // Up to two quotes before the closing three belong to the content: """a"""" is a".
        for (int extra = 0; multiLine && extra < 2 && peek() == quote; extra++) {
            pos++;
        }
    }

    /** Numbers, booleans, dates and times: everything up to the next delimiter. */
    private void bareValue() {
        int start = pos;
        do {
            pos++;
        } while (pos < end && ",]}# \t\r\n".indexOf(text.charAt(pos)) < 0);
        if (peek() == ' ' && pos + 1 < end && Character.isDigit(text.charAt(pos + 1))
                && DATE.matcher(text).region(start, pos).matches()) {
            bareValue(); // the time after the date
        }
    }

    /** Skips whitespace, newlines and comments; false at the end of the text. */
    private boolean skipBlank() {
        while (pos < end && " \t\r\n#".indexOf(peek()) >= 0) {
            if (peek() == '#') {
                skipLine();
            } else {
                pos++;
            }
        }
        return pos < end;
    }

    private void skipSpace() {
        while (pos < end && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipLine() {
        while (pos < end && peek() != '\n') {
            pos++;
        }
    }

    private char peek() {
        return pos < end ? text.charAt(pos) : '\0';
    }

    private Position position(int offset) {
        int index = Arrays.binarySearch(lineStarts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new Position(line + 1, offset - lineStarts[line] + 1);
    }
}
