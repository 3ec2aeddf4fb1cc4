package dev.taskd.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed TOML file: Jackson's tree and, beside it, where each key stands. Jackson's TOML parser
 * builds its tree without locations, so binding errors could not say where they are;
 * {@link TomlLocator} recovers the positions from the text.
 */
public record TomlDocument(SourceFile source, ObjectNode tree, Map<String, Position> positions) {

    private static final TomlMapper TOML = new TomlMapper();
    private static final String DUPLICATE_KEY = "Duplicate key";
    /** Jackson's limit ({@link StreamReadConstraints#DEFAULT_MAX_DEPTH}), which it enforces for TOML too. */
    private static final int MAX_NESTING = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    /**
     * Parses a one-line document and drops it: the first parse initialises Jackson's TOML parser
     * (tens of milliseconds), which a start can do on another thread while it does other work.
     */
    public static void warmUp() {
        parse(SourceFile.of(Path.of("warm-up.toml"), "warm-up.toml", "[a]\nb = 1\n".getBytes(StandardCharsets.UTF_8)));
    }

    /** The result of parsing: a document, or the syntax error that stopped the parser. */
    public sealed interface Parsed {
    }

    public record Ok(TomlDocument document) implements Parsed {
    }

    public record SyntaxError(Finding finding) implements Parsed {
    }

    public static Parsed parse(SourceFile source) {
        try {
            JsonNode tree = TOML.readTree(source.text());
            ObjectNode table = tree instanceof ObjectNode object ? object : TOML.createObjectNode();
            return new Ok(new TomlDocument(source, table, TomlLocator.locate(source.text())));
        } catch (StreamConstraintsException e) {
            // Jackson's limits (nesting, number length) come without a location.
            Optional<Position> tooDeep = tooDeep(source.text());
            return new SyntaxError(Finding.error(source.display(), tooDeep.orElse(Position.START),
                    tooDeep.isPresent() ? "TOML syntax error: arrays or tables nested more than " + MAX_NESTING + " deep"
                            : "TOML syntax error: " + e.getOriginalMessage(), ""));
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            // Jackson's lines also end at a lone \r or U+2028; its char offset is exact.
            Position position = where == null || where.getLineNr() < 1
                    ? Position.START
                    : where.getCharOffset() >= 0
                    ? Position.of(source.text(), where.getCharOffset())
                    : new Position(where.getLineNr(), Math.max(1, where.getColumnNr()));
            String message = e.getOriginalMessage();
            if (DUPLICATE_KEY.equals(message)) {
                return new SyntaxError(duplicateKey(source, position));
            }
            return new SyntaxError(Finding.error(source.display(), position, "TOML syntax error: " + message, ""));
        } catch (IOException e) {
            return new SyntaxError(Finding.error(source.display(), Position.START,
                    "cannot parse: " + e.getMessage(), ""));
        }
    }

    /**
     * Where brackets and braces first nest deeper than Jackson allows, skipping strings and
     * comments roughly: the place to look, for a finding Jackson gives no location.
     */
    private static Optional<Position> tooDeep(String text) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote || c == '\n') {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_NESTING) {
                    return Optional.of(Position.of(text, i));
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return Optional.empty();
    }

    /**
     * Jackson reports a duplicate key where its lexer stopped, past the line that repeats the key;
     * the finding points at that line instead, and names the key.
     */
    private static Finding duplicateKey(SourceFile source, Position reported) {
        String[] lines = source.text().split("\n", -1);
        int line = Math.min(reported.line(), lines.length);
        if (reported.column() == 1 && line > 1) {
            line--;
        }
        while (line > 1 && lines[line - 1].isBlank()) {
            line--;
        }
        String text = lines[line - 1];
        int equals = text.indexOf('=');
        String key = equals < 0 ? "" : text.substring(0, equals).trim();
        int column = text.length() - text.stripLeading().length() + 1;
        return Finding.error(source.display(), new Position(line, column),
                "TOML syntax error: " + (key.isEmpty() ? "duplicate key" : "key '" + key + "' is defined twice"),
                "remove one of the definitions");
    }

    /** Where the key at {@code path} stands; the nearest enclosing key's place when it has none. */
    public Position positionOf(String path) {
        String current = path;
        while (!current.isEmpty()) {
            Position position = positions.get(current);
            if (position != null) {
                return position;
            }
            int cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
            current = cut < 0 ? "" : current.substring(0, cut);
        }
        return Position.START;
    }

    /** The value at a dotted path ({@code limits.max-loops}), or null when absent. */
    public JsonNode get(String path) {
        JsonNode node = tree;
        for (String segment : path.split("\\.")) {
            node = node == null ? null : node.get(segment);
        }
        return node;
    }
}
