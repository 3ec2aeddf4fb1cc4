package dev.taskd.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the client's fast path, without Jackson: {@link #parse} reads a document into plain
 * values ({@code Map<String, Object>} in document order, {@code List<Object>}, {@code String},
 * {@code Long} or {@code BigInteger}, {@code Double}, {@code Boolean}, and {@code null}), and
 * {@link #compact} and {@link #pretty} write them back exactly as Jackson's {@code JsonNode.toString()}
 * and {@code toPrettyString()} do, so a command printed either way reads the same
 * ({@code JsonTextTest} holds the two side by side). Building an {@code ObjectMapper} costs a
 * short command more than the whole HTTP exchange. No lambdas and no pattern switches: each
 * would bootstrap method handles at a short command's start.
 */
final class JsonText {

    private final String text;
    private int at;

    private JsonText(String text) {
        this.text = text;
    }

    /** The value of one JSON document; {@link IllegalArgumentException} naming the offset when it is not one. */
    static Object parse(String text) {
        JsonText reader = new JsonText(text);
        Object value = reader.value();
        reader.skipSpace();
        if (reader.at < text.length()) {
            throw reader.error("end of input");
        }
        return value;
    }

    /** One line, no spaces, as {@code JsonNode.toString()}. */
    static String compact(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, -1);
        return out.toString();
    }

    /** Jackson's default pretty printer: two-space indent, {@code "key" : value}, arrays on one line. */
    static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    /** Jackson's {@code asText()}: a string as is, a number or boolean as written, null "null", a container "". */
    static String asText(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return "";
        }
        return String.valueOf(value);
    }

    /** Jackson's {@code asLong(fallback)}: numbers truncated, text parsed, booleans 1 or 0. */
    static long asLong(Object value, long fallback) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        return value instanceof String string ? parseLong(string.strip(), fallback) : fallback;
    }

    /** Jackson's {@code asBoolean(fallback)}: a boolean, a number not 0, the text "true" or "false". */
    static boolean asBoolean(Object value, boolean fallback) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number number) {
            return number.longValue() != 0;
        }
        String text = value instanceof String string ? string.strip() : "";
        return text.equals("true") || !text.equals("false") && fallback;
    }

    /** A member of an object; null when {@code object} is no object, or has no such member or a null one. */
    static Object member(Object object, String name) {
        return object instanceof Map<?, ?> map ? map.get(name) : null;
    }

    private static long parseLong(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a member name");
            }
            String name = string();
            skipSpace();
            expect(':');
            members.put(name, value());
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array() {
        List<Object> items = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return items;
        }
        while (true) {
            items.add(value());
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return items;
            }
        }
    }

    private String string() {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a closing quote");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("no control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = at < text.length() ? text.charAt(at++) : 0;
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        out.append((char) Integer.parseInt(text, at, at + 4, 16));
                    } catch (NumberFormatException e) {
                        throw error("four hex digits");
                    }
                    at += 4;
                }
                default -> throw error("an escape");
            }
        }
    }

    private Object literal(String word, Boolean value) {
        if (!text.startsWith(word, at)) {
            throw error("a value");
        }
        at += word.length();
        return value;
    }

    /** An integer as Long (or BigInteger beyond), anything with a fraction or exponent as Double, as Jackson reads them. */
    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        int digits = digits();
        if (digits == 0 || digits > 1 && text.charAt(at - digits) == '0') {
            throw error("a value");
        }
        boolean integer = true;
        if (peek() == '.') {
            at++;
            integer = false;
            if (digits() == 0) {
                throw error("a digit after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (digits() == 0) {
                throw error("a digit in the exponent");
            }
        }
        String number = text.substring(start, at);
        if (!integer) {
            return Double.parseDouble(number);
        }
        BigInteger big = new BigInteger(number);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private int digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        at++;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("not JSON: expected " + expected + " at offset " + at);
    }

    /** Writes {@code value}; {@code level} is the pretty printer's nesting, or -1 for compact output. */
    private static void write(Object value, StringBuilder out, int level) {
        if (value instanceof String string) {
            quote(string, out);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, out, level);
        } else if (value instanceof List<?> list) {
            writeArray(list, out, level);
        } else {
            out.append(value);
        }
    }

    private static void writeObject(Map<?, ?> map, StringBuilder out, int level) {
        if (map.isEmpty()) {
            out.append(level < 0 ? "{}" : "{ }");
            return;
        }
        out.append('{');
        String separator = "";
        for (Map.Entry<?, ?> member : map.entrySet()) {
            out.append(separator);
            separator = ",";
            if (level >= 0) {
                out.append(System.lineSeparator()).append("  ".repeat(level + 1));
            }
            quote((String) member.getKey(), out);
            out.append(level < 0 ? ":" : " : ");
            write(member.getValue(), out, level < 0 ? -1 : level + 1);
        }
        if (level >= 0) {
            out.append(System.lineSeparator()).append("  ".repeat(level));
        }
        out.append('}');
    }

    private static void writeArray(List<?> list, StringBuilder out, int level) {
        if (list.isEmpty()) {
            out.append(level < 0 ? "[]" : "[ ]");
            return;
        }
        out.append(level < 0 ? "[" : "[ ");
        String separator = "";
        for (Object item : list) {
            out.append(separator);
            separator = level < 0 ? "," : ", ";
            write(item, out, level);
        }
        out.append(level < 0 ? "]" : " ]");
    }

    /** Jackson's escaping: quote, backslash and control characters; everything else as is. */
    private static void quote(String string, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
