package dev.taskd.source;

/** A place in a source file: 1-based line and column, as editors and compilers count them. */
public record Position(int line, int column) implements Comparable<Position> {

    /** The start of a file, for findings about a file as a whole. */
    public static final Position START = new Position(1, 1);

    /**
     * Where char {@code offset} of {@code text} stands, lines ended by {@code \n} as everywhere in
     * taskd; parsers that also end lines at a lone {@code \r} or U+2028 give their offsets here.
     */
    public static Position of(String text, long offset) {
        int end = (int) Math.max(0, Math.min(offset, text.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, end - lineStart + 1);
    }

    @Override
    public int compareTo(Position other) {
        return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
