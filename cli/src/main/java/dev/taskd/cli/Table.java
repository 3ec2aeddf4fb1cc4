package dev.taskd.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header and rows, columns padded to their widest cell and two spaces
 * apart; the last column is not padded, so lines carry no trailing blanks. A null cell prints as
 * {@code -}. A cell's colour codes ({@link Colour}) take no width.
 */
final class Table {

    private static final String GAP = "  ";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size()
                    + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The lines, header first, each without a line separator. */
    List<String> lines() {
        int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = header.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], visible(row.get(column)));
            }
        }
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(line(header, widths));
        rows.forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines()) + System.lineSeparator();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            line.append(cell);
            if (column < cells.size() - 1) {
                line.append(" ".repeat(widths[column] - visible(cell))).append(GAP);
            }
        }
        return line.toString().stripTrailing();
    }

    /** The width of {@code cell} on a terminal: its length without ANSI colour codes. */
    private static int visible(String cell) {
        return cell.indexOf('\u001b') < 0 ? cell.length() : cell.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String text = String.valueOf(value).replaceAll("[\\r\\n\\t]+", " ");
        return text.isEmpty() ? "-" : text;
    }
}
