package dev.taskd.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Seeded mutations of configuration text, for the fuzz tests. Deterministic: the same
 * {@link Random} state and input give the same bytes, so a failure is reproduced from its seed and
 * input number alone. Each mutation is named in {@link #applied()} for the failure message.
 *
 * <p>Not thread-safe; one per input.
 */
final class ConfigMutator {

    /** What a file is, which decides the mutations that make sense for it. */
    enum Kind {
        TASKD_TOML, LOOP_TYPE_TOML, SCRIPT, TEMPLATE;

        static Kind of(String relativePath) {
            if (relativePath.endsWith(".js") || relativePath.endsWith(".mjs")) {
                return SCRIPT;
            }
            if (relativePath.endsWith(".mustache")) {
                return TEMPLATE;
            }
            return relativePath.startsWith("config/") ? TASKD_TOML : LOOP_TYPE_TOML;
        }
    }

    private record Mutation(String name, UnaryOperator<String> operation) {
    }

    private static final String[] NAMES = {"local", "ralph", "hello", "fix", "base", "x", "Bad Name", "\"quoted.key\"",
            "'lit'", "per-type", "ümlaut", ""};
    private static final String[] WORDS = {"", "x", "hello", "ralph", "retry-command", "plain", "base", "hello.js",
            "ralph.js", "missing.js", "../x.js", "a/b.js", "local/qwen", "remote/gpt", "provider/model", "openai",
            "anthropic", "http://127.0.0.1:8080/v1", "ftp://x", "127.0.0.1:7070", "localhost:99999", "[::1]:0",
            "../loop-types", "../templates", "../nowhere", "/", "..", "{{task}}", "{{#progress}}{{/progress}}", "{{",
            "{{>plain}}", "{{=<% %>=}}", "fixed", "exponential", "pin", "next-iteration", "git-worktree", "none",
            "info", "verbose", "sqlite", "5m", "250ms", "1h30m", "true", "é", "\u202Eevil", "tab\there", "null"};
    private static final String[] ESCAPED = {"\\u0000", "\\uD800", "\\U0010FFFF", "\\U00110000", "\\x41", "\\q",
            "\\\"", "\\\\", "\\n", "\\u00e9", "\\", "\\u12", "\\UFFFFFFFF"};
    /** TOML strings for path keys: real directories of a tree, and names no file system accepts. */
    private static final String[] PATHS = {"\"../loop-types\"", "\"../templates\"", "\".\"", "\"../.taskd\"",
            "\"../loop-types\\u0000\"", "\"\\uD800\"", "\"../templates/\\uDC00x\"", "\"../nowhere\"", "\"\""};
    private static final String[] INTEGERS = {"0", "-1", "1", "7", "255", "256", "2147483647", "2147483648",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999",
            "1_000", "1__0", "_1", "0x7f", "0xFFFFFFFFFFFFFFFFFF", "0o17", "0b101", "007", "-0", "+5", "1e3", "1000000",
            "1000001", "1000000000000", "1000000000001"};
    private static final String[] FLOATS = {"3.14", "inf", "-inf", "+nan", "nan", "1e999", "6.02e23", "1.", ".5",
            "0.0", "-0.0", "1e-999"};
    private static final String[] DURATIONS = {"5m", "5 m", "5x", "1h30", "-5s", "999999999d", "", "0ms", "1h30m",
            "30S", "1.5s", "5mm", "\u0663s", "1000000000s", "0s", "1d1ms", "7d", "8d", "24h", "1441m", "9ms", "10ms",
            "99ms", "100ms", "60s", "61s", "s", "1", "1 s"};
    private static final String[] DATES = {"1979-05-27", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00",
            "07:32:00", "07:32:00.999999", "1979-13-45", "1979-05-27T25:61:61+99:99", "1979-05-27T07:32:00.5-07:00",
            "0000-00-00", "1979-05-27 x"};
    private static final String[] TEMPLATE_TAGS = {"{{", "}}", "{{{", "}}}", "{{task}}", "{{{task}}}", "{{&task}}",
            "{{#progress}}", "{{/progress}}", "{{^progress}}", "{{#task}}{{anything}}{{/task}}", "{{/nothing}}",
            "{{>plain}}", "{{>hello}}", "{{>missing}}", "{{> }}", "{{!comment}}", "{{!", "{{=<% %>=}}", "{{=}}",
            "{{= =}}", "{{==}}", "{{=a b=}}", "{{=| |=}}{{|x|}}", "<% x %>", "{{ }}", "{{}}", "{{.}}", "{{..}}",
            "{{-first}}", "{{iteration}}", "{{itration}}", "{{progress.outcome}}", "{{#}}", "{{/}}", "{{^}}",
            "{{#a}}{{/b}}", "{{a.}}", "{{.a}}", "{{\n}}", "{{{x}}", "{{x}}}"};
    private static final String[] JS_PIECES = {"{", "}", "(", ")", ";", "export", "export function iterate(ctx) {}",
            "export const iterate = 1;", "export default function iterate() {}", "while (true) {}",
            "for (let i = 0; i < 1e9; i++) {}", "throw new Error('x');", "import x from 'y';",
            "import('y');", "await 1;", "java.lang.System.exit(0);", "Java.type('java.lang.System');", "`", "'", "\"",
            "/*", "*/", "//", "function iterate(", "let let = 1;", "ctx.", "\u2028", "\uFEFF", "#!shebang\n",
            "export { iterate as run };", "export { x as iterate }; const x = 2;", "debugger;", "with (Math) {}",
            "new Array(1e9).fill(0);", "'\\u{110000}'", "/[/", "label: label: 1;", "yield 1;", "super();"};
    private static final String[] UNICODE = {"é", "ü", "日本", "😀", "\u200B", "\u202E", "\u2028", "\u2029",
            "\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u00A0", "\uFFFD", "\uFFFF", "\uD800", "\uDC00",
            "\u000B", "\u000C", "\r", "\t", "\uFEFF"};
    private static final String[] LONG_TOKENS = {"a", "{{x}}", "{{task}}", "[", "]", "\"", "'", "{", "x = 1,",
            "=", ".", "#", "\\", "é", "{{#a}}", "😀", "a.", "\"\"\"", "[[", "1"};

    private final Random random;
    private final List<String> applied = new ArrayList<>();

    ConfigMutator(Random random) {
        this.random = random;
    }

    /** The names of the mutations applied so far, in order. */
    List<String> applied() {
        return List.copyOf(applied);
    }

    /** One to three mutations of {@code text}; sometimes a few raw bytes are flipped as well. */
    byte[] mutate(String text, Kind kind) {
        String mutated = text;
        for (int rounds = 1 + random.nextInt(3); rounds > 0; rounds--) {
            List<Mutation> choices = mutations(kind);
            Mutation mutation = choices.get(random.nextInt(choices.size()));
            applied.add(mutation.name());
            mutated = mutation.operation().apply(mutated);
        }
        byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(15) == 0 && bytes.length > 0) {
            applied.add("flip-bytes");
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return bytes;
    }

    private List<Mutation> mutations(Kind kind) {
        List<Mutation> all = new ArrayList<>(List.of(
                new Mutation("replace-char", this::replaceChar),
                new Mutation("delete-line", this::deleteLine),
                new Mutation("duplicate-line", this::duplicateLine),
                new Mutation("swap-lines", this::swapLines),
                new Mutation("truncate", text -> text.substring(0, random.nextInt(text.length() + 1))),
                new Mutation("delete-range", this::deleteRange),
                new Mutation("copy-range", this::copyRange),
                new Mutation("bom", text -> "\uFEFF" + text),
                new Mutation("crlf", text -> text.replace("\n", "\r\n")),
                new Mutation("lone-cr", text -> text.replace("\n", random.nextBoolean() ? "\r" : "\u2028")),
                new Mutation("unicode", text -> insert(text, pick(UNICODE))),
                new Mutation("long-line", text -> insertLine(text, longRun())),
                new Mutation("many-lines", this::manyLines),
                new Mutation("break-quote", text -> insert(text, pick(new String[] {"\"", "'", "\"\"\"", "'''"}))),
                new Mutation("break-bracket", this::breakBracket)));
        switch (kind) {
            case TASKD_TOML, LOOP_TYPE_TOML -> {
                List<ConfigKey> rows = kind == Kind.TASKD_TOML ? ConfigKeys.TASKD : ConfigKeys.LOOP_TYPE;
                for (int weight = 0; weight < 4; weight++) {
                    all.add(new Mutation("insert-key", text -> insertKey(text, rows)));
                    all.add(new Mutation("replace-value", this::replaceValue));
                }
                all.add(new Mutation("other-file-key", text -> insertKey(text,
                        kind == Kind.TASKD_TOML ? ConfigKeys.LOOP_TYPE : ConfigKeys.TASKD)));
                all.add(new Mutation("deep-array", text -> insertLine(text, "a = " + nested("[", "]", "1"))));
                all.add(new Mutation("deep-table", text -> insertLine(text, "a = " + nested("{ b = ", " }", "1"))));
                all.add(new Mutation("table-header", text -> insertLine(text, header(rows))));
                all.add(new Mutation("array-of-tables", text -> insertLine(text, "[[" + tableOf(rows) + "]]")));
            }
            case TEMPLATE -> {
                for (int weight = 0; weight < 6; weight++) {
                    all.add(new Mutation("template-tag", text -> insert(text, pick(TEMPLATE_TAGS))));
                }
                all.add(new Mutation("deep-sections", text -> insert(text, nested("{{#a}}", "{{/a}}", "{{x}}"))));
                all.add(new Mutation("many-tags", text -> insert(text, pick(TEMPLATE_TAGS).repeat(
                        1 + random.nextInt(20_000)))));
            }
            case SCRIPT -> {
                for (int weight = 0; weight < 6; weight++) {
                    all.add(new Mutation("js-piece", text -> insert(text, pick(JS_PIECES))));
                }
                all.add(new Mutation("rename-iterate", text -> text.replace("iterate", pick(
                        new String[] {"iterat", "Iterate", "iterate2", "run", ""}))));
                all.add(new Mutation("deep-js", text -> insertLine(text, "const deep = " + nested("[", "]", "1") + ";")));
            }
        }
        return all;
    }

    private String insertKey(String text, List<ConfigKey> rows) {
        ConfigKey row = rows.get(random.nextInt(rows.size()));
        String path = concrete(row.path());
        String value = random.nextInt(3) == 0 ? validValue(row.rule()) : value(0);
        return switch (random.nextInt(3)) {
            case 0 -> path + " = " + value + "\n" + text;
            case 1 -> {
                String parent = concrete(row.parentPath());
                String name = path.substring(path.lastIndexOf('.') + 1);
                yield text + (text.endsWith("\n") ? "" : "\n")
                        + (parent.isEmpty() ? "" : "[" + parent + "]\n") + name + " = " + value + "\n";
            }
            default -> insertLine(text, path + " = " + value);
        };
    }

    private String replaceValue(String text) {
        String[] lines = text.split("\n", -1);
        List<Integer> assignments = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("=")) {
                assignments.add(i);
            }
        }
        if (assignments.isEmpty()) {
            return text;
        }
        int line = assignments.get(random.nextInt(assignments.size()));
        lines[line] = lines[line].substring(0, lines[line].indexOf('=') + 1) + " " + value(0);
        return String.join("\n", lines);
    }

    /** A TOML value of any type, well-formed or not. */
    private String value(int depth) {
        return switch (random.nextInt(depth > 2 ? 11 : 14)) {
            case 0 -> quoted(pick(WORDS));
            case 1 -> pick(INTEGERS);
            case 2 -> pick(FLOATS);
            case 3 -> quoted(pick(DURATIONS));
            case 4 -> pick(new String[] {"true", "false", "TRUE", "yes", "tru"});
            case 5 -> pick(DATES);
            case 6 -> "\"\"\"" + pick(WORDS) + "\n" + pick(WORDS) + (random.nextBoolean() ? "\"\"\"" : "");
            case 7 -> "'" + pick(WORDS) + (random.nextInt(4) == 0 ? "" : "'");
            case 8 -> "\"" + pick(WORDS) + pick(ESCAPED) + pick(WORDS) + "\"";
            case 9 -> pick(new String[] {"", "=", ",", "\"", "[", "{", "}", "]", "# comment"});
            case 10 -> pick(WORDS);
            case 11 -> array(depth);
            case 12 -> inlineTable(depth);
            default -> "[" + quoted(pick(WORDS)) + ", " + value(depth + 1) + "]";
        };
    }

    private String array(int depth) {
        List<String> elements = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            elements.add(value(depth + 1));
        }
        return "[" + String.join(random.nextInt(5) == 0 ? ",\n" : ", ", elements) + (random.nextInt(6) == 0 ? ",]" : "]");
    }

    private String inlineTable(int depth) {
        List<String> members = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            String key = pick(new String[] {"name", "default", "description", "kind", "x", pick(NAMES)});
            members.add(key + " = " + value(depth + 1));
        }
        return "{ " + String.join(", ", members) + " }";
    }

    /** A value that the row's rule accepts, or one just outside its range, so that some inputs stay valid. */
    private String validValue(ValueRule rule) {
        return switch (rule) {
            case ValueRule.Text text -> quoted(text.pattern() == null ? pick(WORDS)
                    : pick(new String[] {"127.0.0.1:7071", "local/other", "http://localhost:1/v1", "hello.js", ""}));
            case ValueRule.Flag flag -> String.valueOf(random.nextBoolean());
            case ValueRule.Whole whole -> String.valueOf(pick(new long[] {whole.min(), whole.max(), whole.min() - 1,
                    whole.max() + 1, whole.min() + random.nextInt(10)}));
            case ValueRule.Span span -> quoted(Durations.format(pick(new Duration[] {span.min(), span.max(),
                    span.min().plusMillis(random.nextInt(1000)), span.max().plusMillis(1)})));
            case ValueRule.Size size -> quoted(ByteSizes.format(pick(new long[] {size.min(), size.max(), size.min() - 1,
                    size.min() + random.nextInt(1 << 20)})));
            case ValueRule.OneOf oneOf -> quoted(oneOf.choices().get(random.nextInt(oneOf.choices().size())));
            case ValueRule.TextList list -> "[" + quoted(pick(WORDS)) + "]";
            case ValueRule.PathName path -> pick(PATHS);
            case ValueRule.PathNames paths -> "[" + pick(PATHS) + (random.nextBoolean() ? ", " + pick(PATHS) : "") + "]";
            case ValueRule.WholeList list -> "[0, " + (list.min() + random.nextInt(300)) + "]";
            case ValueRule.Table table -> "{}";
            case ValueRule.Decimal decimal -> String.valueOf(pick(new double[] {decimal.min(), decimal.max(),
                    decimal.min() - 1, decimal.min() + random.nextInt(10) / 4.0}));
            case ValueRule.Prices prices -> "{ \"m-" + pick(WORDS) + ".1\" = { input = " + random.nextInt(5)
                    + ".5, output = " + random.nextInt(20) + " } }";
            case ValueRule.Inputs inputs -> "[\"task\", { name = " + quoted(pick(WORDS)) + ", default = "
                    + value(2) + " }]";
        };
    }

    private String concrete(String pattern) {
        StringBuilder path = new StringBuilder();
        for (String segment : pattern.split("\\.")) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(segment.equals("*") ? pick(NAMES) : segment);
        }
        return random.nextInt(12) == 0 ? path.toString().replace('-', '_') : path.toString();
    }

    private String header(List<ConfigKey> rows) {
        return "[" + tableOf(rows) + "]" + (random.nextBoolean() ? "\n" + value(0) : "");
    }

    private String tableOf(List<ConfigKey> rows) {
        String parent = concrete(rows.get(random.nextInt(rows.size())).parentPath());
        return parent.isEmpty() ? pick(NAMES) : parent;
    }

    /** {@code open} repeated a few hundred times (sometimes about 1000, or more) around {@code inner}, sometimes unclosed. */
    private String nested(String open, String close, String inner) {
        int depth = switch (random.nextInt(5)) {
            case 0 -> 1_000 + random.nextInt(20_000);
            case 1 -> 900 + random.nextInt(101); // just inside and just past Jackson's limit of 1000
            default -> 100 + random.nextInt(400);
        };
        int closes = random.nextInt(4) == 0 ? random.nextInt(depth) : depth;
        return open.repeat(depth) + inner + close.repeat(closes);
    }

    private String longRun() {
        String token = pick(LONG_TOKENS);
        int length = random.nextInt(10) == 0 ? 1_100_000 : 1_000 + random.nextInt(100_000);
        return token.repeat(Math.max(1, length / token.length()));
    }

    private String manyLines(String text) {
        String[] lines = text.split("\n", -1);
        String line = lines[random.nextInt(lines.length)];
        int copies = 500 + random.nextInt(Math.max(1, 100_000 / (line.length() + 1)));
        return text + "\n" + (line + "\n").repeat(copies);
    }

    private String replaceChar(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int at = random.nextInt(text.length());
        char replacement = random.nextBoolean() ? (char) (0x20 + random.nextInt(0x5F)) : (char) random.nextInt(0x3000);
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }

    private String deleteLine(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        lines.remove(random.nextInt(lines.size()));
        return String.join("\n", lines);
    }

    private String duplicateLine(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int from = random.nextInt(lines.size());
        lines.add(random.nextInt(lines.size() + 1), lines.get(from));
        return String.join("\n", lines);
    }

    private String swapLines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        String line = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, line);
        return String.join("\n", lines);
    }

    private String deleteRange(String text) {
        int from = random.nextInt(text.length() + 1);
        int to = Math.min(text.length(), from + random.nextInt(40));
        return text.substring(0, from) + text.substring(to);
    }

    private String copyRange(String text) {
        int from = random.nextInt(text.length() + 1);
        int to = Math.min(text.length(), from + random.nextInt(80));
        return insert(text, text.substring(from, to));
    }

    private String breakBracket(String text) {
        String brackets = "[]{}()";
        int at = text.isEmpty() ? -1 : indexOfAny(text, brackets, random.nextInt(text.length()));
        if (at >= 0 && random.nextBoolean()) {
            return text.substring(0, at) + text.substring(at + 1);
        }
        return insert(text, String.valueOf(brackets.charAt(random.nextInt(brackets.length()))));
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code piece} at a random offset. */
    private String insert(String text, String piece) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + piece + text.substring(at);
    }

    /** {@code line} as a line of its own, before a random line. */
    private String insertLine(String text, String line) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        lines.add(random.nextInt(lines.size() + 1), line);
        return String.join("\n", lines);
    }

    private String quoted(String word) {
        return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private double pick(double[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private long pick(long[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private Duration pick(Duration[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
