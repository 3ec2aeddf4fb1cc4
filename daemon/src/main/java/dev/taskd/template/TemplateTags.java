package dev.taskd.template;

import dev.taskd.source.Position;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The tags of a Mustache template, each with where it stands and the sections around it.
 * JMustache compiles and renders templates but tells neither positions nor nesting, which
 * validation needs to say {@code templates/fix.mustache:3:5: variable 'targte' ...}.
 */
public final class TemplateTags {

    public enum Kind { VARIABLE, SECTION, INVERTED, CLOSE, PARTIAL, COMMENT }

    /**
     * @param name     the tag's name, trimmed ({@code task}, {@code progress}, {@code item.name})
     * @param sections names of the sections that enclose it, outermost first
     */
    public record Tag(Kind kind, String name, Position position, List<String> sections) {
        /** The first segment of a dotted name: what the lookup starts from. */
        public String root() {
            int dot = name.indexOf('.');
            return dot <= 0 ? name : name.substring(0, dot);
        }
    }

    /** A tag opened and never closed: the template would print it as text, which is never meant. */
    public record Unclosed(Position position, String opener) {
    }

    /**
     * @param tooDeep where a section opens more than {@link #MAX_SECTION_DEPTH} deep; the scan
     *                stops there
     */
    public record Scan(List<Tag> tags, List<Unclosed> unclosed, Optional<Position> tooDeep) {
    }

    /**
     * No template nests sections this deep on purpose; deeper, each tag's list of enclosing
     * sections would make the scan quadratic, and rendering recurses once per level.
     */
    public static final int MAX_SECTION_DEPTH = 100;

    private TemplateTags() {
    }

    /**
     * Scans {@code text} in time linear in its length; never throws. Delimiter changes
     * ({@code {{=<% %>=}}}) are followed.
     */
    public static Scan scan(String text) {
        List<Tag> tags = new ArrayList<>();
        List<Unclosed> unclosed = new ArrayList<>();
        Deque<String> sections = new ArrayDeque<>();
        List<String> enclosing = List.of();
        Lines lines = new Lines(text);
        Optional<Position> tooDeep = Optional.empty();
        String open = "{{";
        String close = "}}";
        int at = 0;
        while (true) {
            int start = text.indexOf(open, at);
            if (start < 0) {
                break;
            }
            boolean triple = open.equals("{{") && text.startsWith("{{{", start);
            String closer = triple ? "}}}" : close;
            int end = text.indexOf(closer, start + open.length());
            if (end < 0) {
                unclosed.add(new Unclosed(lines.positionOf(start), open));
                break;
            }
            String body = text.substring(start + open.length() + (triple ? 1 : 0), end).trim();
            at = end + closer.length();
            Position position = lines.positionOf(start);
            if (body.length() >= 2 && body.startsWith("=") && body.endsWith("=")) {
                String[] delimiters = body.substring(1, body.length() - 1).trim().split("\\s+");
                if (delimiters.length == 2) {
                    open = delimiters[0];
                    close = delimiters[1];
                }
                continue;
            }
            Kind kind = triple ? Kind.VARIABLE : kindOf(body);
            String name = triple || hasPlainName(kind, body) ? body : body.substring(1).trim();
            if ((kind == Kind.SECTION || kind == Kind.INVERTED) && sections.size() >= MAX_SECTION_DEPTH) {
                tooDeep = Optional.of(position);
                break;
            }
            tags.add(new Tag(kind, name, position, enclosing));
            switch (kind) {
                case SECTION, INVERTED -> sections.push(name);
                case CLOSE -> sections.poll();
                default -> { }
            }
            if (kind == Kind.SECTION || kind == Kind.INVERTED || kind == Kind.CLOSE) {
                enclosing = List.copyOf(sections.reversed());
            }
        }
        return new Scan(List.copyOf(tags), List.copyOf(unclosed), tooDeep);
    }

    /** Positions of offsets met in increasing order, counted on from the last one. */
    private static final class Lines {
        private final String text;
        private int offset;
        private int line = 1;
        private int lineStart;

        Lines(String text) {
            this.text = text;
        }

        Position positionOf(int target) {
            for (; offset < target; offset++) {
                if (text.charAt(offset) == '\n') {
                    line++;
                    lineStart = offset + 1;
                }
            }
            return new Position(line, target - lineStart + 1);
        }
    }

    /** A variable's body is its name, but for {@code &name}, which marks it unescaped. */
    private static boolean hasPlainName(Kind kind, String body) {
        return kind == Kind.VARIABLE && !body.startsWith("&");
    }

    private static Kind kindOf(String body) {
        if (body.isEmpty()) {
            return Kind.VARIABLE;
        }
        return switch (body.charAt(0)) {
            case '#' -> Kind.SECTION;
            case '^' -> Kind.INVERTED;
            case '/' -> Kind.CLOSE;
            case '>' -> Kind.PARTIAL;
            case '!' -> Kind.COMMENT;
            default -> Kind.VARIABLE;
        };
    }

    /** 1-based line and column of {@code offset}; a {@code \r} before a newline is not a column. */
    public static Position positionOf(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, offset - lineStart + 1);
    }
}
