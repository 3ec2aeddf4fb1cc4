package dev.taskd.config;

/** A place in a source file: 1-based line and column, as editors and compilers count them. */
public record Position(int line, int column) implements Comparable<Position> {

    /** The start of a file, for findings about a file as a whole. */
    public static final Position START = new Position(1, 1);

    @Override
    public int compareTo(Position other) {
        return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
