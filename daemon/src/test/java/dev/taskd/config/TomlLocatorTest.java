package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.taskd.source.Position;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TomlLocatorTest {

    private static final String DESIGN = """
            [daemon]
            listen = "127.0.0.1:7070"      # admin API; loopback by default
            data-dir = "../.taskd"

            [limits]
            max-loops = 1000
            drain-timeout = "30s"
            per-type = { ralph = 20 }

            [llm]
            default = "local/qwen"
            [llm.providers.local]
            kind = "openai"
            base-url = "http://127.0.0.1:8080/v1"

            [reload]
            debounce = "250ms"
            """;

    /** Exercises most constructs at once; its key paths are checked against Jackson's tree. */
    private static final String RICH = """
            title = "rich" # a comment with = and [brackets]
            "quoted.key" = 'lit'
            site."google.com" . owner = "me"
            text = \"""
            not = "a key"
            [not.a.table]
            ""\"
            raw = '''
            [[nor.this]]
            x = 1'''
            edge = \"\"\"a\"\"\"\"
            when = [1979-05-27T07:32:00Z, 1979-05-27 07:32:00, 07:32:00, 1979-05-27]
            numbers = [inf, -inf, nan, 0x1F, 0o17, 0b101, 1_000, -3.5e+2, true]
            nested = [[1, 2], ["a", 'b'], [], [{ deep = { er = 1 } }]]
            multi = [
              1, # one
              # a comment line = 2
              "two, three",
            ]
            inline = { a = 1, b.c = 2, "d e" = { f = [1, { g = 1 }] } }

            [t.u]
            k = 1
            d.e = 2

            [[fruit]]
            name = "apple"
            [fruit.physical]
            colour = "red"
            [[fruit.variety]]
            name = "red delicious"
            [[fruit.variety]]
            name = "granny smith"

            [[fruit]]
            name = "banana"
            [[fruit.variety]]
            name = "plantain"
            """;

    @Test
    void designExampleLocatesEveryKey() {
        Map<String, Position> found = TomlLocator.locate(DESIGN);

        assertThat(found).containsEntry("daemon", at(1, 2))
                .containsEntry("daemon.listen", at(2, 1))
                .containsEntry("daemon.data-dir", at(3, 1))
                .containsEntry("limits.per-type", at(8, 1))
                .containsEntry("limits.per-type.ralph", at(8, 14))
                .containsEntry("llm.default", at(11, 1))
                .containsEntry("llm.providers", at(12, 6))
                .containsEntry("llm.providers.local", at(12, 16))
                .containsEntry("llm.providers.local.kind", at(13, 1))
                .containsEntry("reload.debounce", at(17, 1));
        assertThat(found.keySet()).containsExactly("daemon", "daemon.listen", "daemon.data-dir",
                "limits", "limits.max-loops", "limits.drain-timeout", "limits.per-type", "limits.per-type.ralph",
                "llm", "llm.default", "llm.providers", "llm.providers.local",
                "llm.providers.local.kind", "llm.providers.local.base-url", "reload", "reload.debounce");
    }

    @Test
    void keyInTableIsPrefixedWithTheTablePath() {
        assertThat(TomlLocator.locate("top = 1\n[t.u]\n  k = 1\n"))
                .containsEntry("top", at(1, 1))
                .containsEntry("t.u.k", at(3, 3))
                .doesNotContainKey("k");
    }

    @Test
    void dottedKeyGivesEveryPrefixAndAllowsSpacesAroundDots() {
        assertThat(TomlLocator.locate("d.e = 2\na . b\t.c = 1\n"))
                .containsEntry("d", at(1, 1))
                .containsEntry("d.e", at(1, 3))
                .containsEntry("a", at(2, 1))
                .containsEntry("a.b", at(2, 5))
                .containsEntry("a.b.c", at(2, 8));
    }

    @Test
    void quotedKeySegmentIsUnquotedAndPointsAtItsQuote() {
        String toml = """
                "a.b" = 1
                site.'google.com'.x = 2
                "tab\\tand \\u00e9 \\"q\\" \\U0001F600" = 3
                [ "t" . 'u' ]
                """;

        assertThat(TomlLocator.locate(toml))
                .containsEntry("a.b", at(1, 1))
                .containsEntry("site.google.com", at(2, 6))
                .containsEntry("site.google.com.x", at(2, 19))
                .containsEntry("tab\tand é \"q\" \uD83D\uDE00", at(3, 1))
                .containsEntry("t", at(4, 3))
                .containsEntry("t.u", at(4, 9))
                .doesNotContainKeys("a", "\"a.b\"");
    }

    @Test
    void tableHeaderGivesParentsWhichKeepTheirFirstPosition() {
        assertThat(TomlLocator.locate("[a.b.c]\n[a.b.d]\n[a]\n"))
                .containsEntry("a", at(1, 2))
                .containsEntry("a.b", at(1, 4))
                .containsEntry("a.b.c", at(1, 6))
                .containsEntry("a.b.d", at(2, 6));
    }

    @Test
    void arrayOfTablesIsIndexedPerArrayPath() {
        String toml = """
                [[x]]
                k = 1
                [[other]]
                [[x]]
                k = 2
                """;

        assertThat(TomlLocator.locate(toml))
                .containsEntry("x", at(1, 3))
                .containsEntry("x[0]", at(1, 3))
                .containsEntry("x[0].k", at(2, 1))
                .containsEntry("other[0]", at(3, 3))
                .containsEntry("x[1]", at(4, 3))
                .containsEntry("x[1].k", at(5, 1))
                .doesNotContainKeys("x.k", "x[2]", "other[1]");
    }

    @Test
    void nestedArrayOfTablesAndSubtablesBelongToTheLatestTable() {
        String toml = """
                [[x]]
                [[x.y]]
                a = 1
                [[x.y]]
                [x.z]
                b = 2
                [[x]]
                [[x.y]]
                c = 3
                """;

        assertThat(TomlLocator.locate(toml))
                .containsEntry("x[0].y", at(2, 5))
                .containsEntry("x[0].y[0]", at(2, 5))
                .containsEntry("x[0].y[0].a", at(3, 1))
                .containsEntry("x[0].y[1]", at(4, 5))
                .containsEntry("x[0].z", at(5, 4))
                .containsEntry("x[0].z.b", at(6, 1))
                .containsEntry("x[1]", at(7, 3))
                .containsEntry("x[1].y[0]", at(8, 5))
                .containsEntry("x[1].y[0].c", at(9, 1))
                .doesNotContainKeys("x.y", "x[1].y[1]");
    }

    @Test
    void arrayElementsPointAtTheirValuesIncludingNestedArrays() {
        Map<String, Position> found = TomlLocator.locate("arr = [ 1, \"two\", [3, [4]], ]\n");

        assertThat(found)
                .containsEntry("arr", at(1, 1))
                .containsEntry("arr[0]", at(1, 9))
                .containsEntry("arr[1]", at(1, 12))
                .containsEntry("arr[2]", at(1, 19))
                .containsEntry("arr[2][0]", at(1, 20))
                .containsEntry("arr[2][1]", at(1, 23))
                .containsEntry("arr[2][1][0]", at(1, 24));
        assertThat(found).hasSize(7);
    }

    @Test
    void arraySpanningLinesMayHoldCommentsAndATrailingComma() {
        String toml = """
                arr = [
                  1, # one = 1
                  # [fake]
                  'two',
                ]
                after = 1
                """;

        assertThat(TomlLocator.locate(toml))
                .containsEntry("arr[0]", at(2, 3))
                .containsEntry("arr[1]", at(4, 3))
                .containsEntry("after", at(6, 1))
                .doesNotContainKeys("arr[2]", "one", "fake");
    }

    @Test
    void inlineTableGivesPathsForItsKeysAndDottedKeys() {
        assertThat(TomlLocator.locate("t = { a = 1, b.c = 2 }\n").keySet())
                .containsExactly("t", "t.a", "t.b", "t.b.c");
        assertThat(TomlLocator.locate("t = { a = 1, b.c = 2 }\n"))
                .containsEntry("t.a", at(1, 7))
                .containsEntry("t.b", at(1, 14))
                .containsEntry("t.b.c", at(1, 16));
    }

    @Test
    void inlineTableInsideArrayOfLoopTypeInputs() {
        String toml = """
                [loop]
                inputs = ["task", { name = "workdir", default = "." }]
                """;

        assertThat(TomlLocator.locate(toml))
                .containsEntry("loop.inputs", at(2, 1))
                .containsEntry("loop.inputs[0]", at(2, 11))
                .containsEntry("loop.inputs[1]", at(2, 19))
                .containsEntry("loop.inputs[1].name", at(2, 21))
                .containsEntry("loop.inputs[1].default", at(2, 39));
    }

    @Test
    void keyInsideMultiLineStringIsNotAKey() {
        String toml = """
                prompt = \"""
                key = "value"
                [fake]
                # not a comment, and "" are allowed: ""\"
                real = 1
                """;

        Map<String, Position> found = TomlLocator.locate(toml);

        assertThat(found.keySet()).containsExactly("prompt", "real");
        assertThat(found).containsEntry("real", at(5, 1));
    }

    @Test
    void keyInsideMultiLineLiteralStringIsNotAKey() {
        String toml = """
                [t]
                raw = '''
                key = 'value' \\
                [[fake]]'''
                real = 1
                """;

        assertThat(TomlLocator.locate(toml).keySet()).containsExactly("t", "t.raw", "t.real");
        assertThat(TomlLocator.locate(toml)).containsEntry("t.real", at(5, 1));
    }

    @Test
    void multiLineStringMayEndWithUpToTwoExtraQuotes() {
        String toml = "a = \"\"\"x\"\"\"\"\nb = \"\"\"\"\"\"\nc = '''y'''''\nd = \"\"\"\\\"\"\"\" \ne = 1\n";

        assertThat(TomlLocator.locate(toml).keySet()).containsExactly("a", "b", "c", "d", "e");
        assertThat(TomlLocator.locate(toml)).containsEntry("e", at(5, 1));
    }

    @Test
    void escapedQuoteOrHashInsideStringDoesNotEndIt() {
        String toml = """
                a = "x \\" b = 1 # \\\\" # c = 2
                d = 'it''s'
                e = "#"
                f = 1 # g = 2
                # h = 3
                """;

        assertThat(TomlLocator.locate(toml).keySet()).containsExactly("a", "d", "e", "f");
    }

    @Test
    void bareValuesSuchAsDatesAndSpecialNumbersAreSkipped() {
        String toml = "v = [1979-05-27T07:32:00Z, 1979-05-27 07:32:00.5, inf, -nan, 0x1F, true,1e5]\nw = 1\n";

        assertThat(TomlLocator.locate(toml))
                .containsEntry("v[1]", at(1, 28))
                .containsEntry("v[2]", at(1, 51))
                .containsEntry("v[6]", at(1, 73))
                .containsEntry("w", at(2, 1))
                .doesNotContainKey("v[7]");
    }

    @Test
    void crlfLineEndingsDoNotShiftColumns() {
        String toml = "[a]\r\n  b = [\r\n    1,\r\n  ]\r\nc = \"\"\"\r\nd = 1\r\n\"\"\"\r\n  e = 2\r\n";

        assertThat(TomlLocator.locate(toml))
                .containsEntry("a", at(1, 2))
                .containsEntry("a.b", at(2, 3))
                .containsEntry("a.b[0]", at(3, 5))
                .containsEntry("a.e", at(8, 3))
                .doesNotContainKey("a.d");
    }

    @Test
    void byteOrderMarkIsNotAColumn() {
        assertThat(TomlLocator.locate("\uFEFFa = 1\n b = 2\n"))
                .containsEntry("a", at(1, 1))
                .containsEntry("b", at(2, 2));
    }

    @Test
    void tabCountsAsOneColumn() {
        assertThat(TomlLocator.locate("\t\ta\t=\t[\t1 ]\n")).containsEntry("a", at(1, 3)).containsEntry("a[0]", at(1, 9));
    }

    @Test
    void resultIsUnmodifiableAndInOrderOfAppearance() {
        Map<String, Position> found = TomlLocator.locate("z = 1\na = 2\nm = 3\n");

        assertThat(found.keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> found.put("x", Position.START)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyOrNullTextHasNoKeys() {
        assertThat(TomlLocator.locate("")).isEmpty();
        assertThat(TomlLocator.locate(null)).isEmpty();
        assertThat(TomlLocator.locate("\uFEFF# only a comment\n")).isEmpty();
    }

    @Test
    void keyPathsMatchTheTreeJacksonBuilds() throws Exception {
        Set<String> expected = new LinkedHashSet<>();
        collectPaths(new TomlMapper().readTree(RICH), null, expected);

        assertThat(TomlLocator.locate(RICH).keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void invalidRandomAndTruncatedInputNeverThrowsNorHangs() {
        String alphabet = "[]{}\"'=.,#\\\n\r\t abc1-_:+\uFEFF";
        Random random = new Random(20240527L);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 3000; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(200);
                for (int j = 0; j < length; j++) {
                    text.append(random.nextInt(10) == 0
                            ? (char) random.nextInt(0x3000)
                            : alphabet.charAt(random.nextInt(alphabet.length())));
                }
                assertThat(TomlLocator.locate(text.toString())).isNotNull();
            }
            for (String sample : new String[] {DESIGN, RICH}) {
                for (int cut = 0; cut <= sample.length(); cut++) {
                    assertThat(TomlLocator.locate(sample.substring(0, cut))).isNotNull();
                    assertThat(TomlLocator.locate(sample.substring(cut))).isNotNull();
                }
            }
            assertThat(TomlLocator.locate("a = " + "[".repeat(100_000))).containsKey("a[0][0]");
            assertThat(TomlLocator.locate("a = " + "{b=".repeat(100_000))).containsKey("a.b");
            assertThat(TomlLocator.locate("[".repeat(100_000) + "\"\\u")).isNotNull();
        });
    }

    private static void collectPaths(JsonNode node, String path, Set<String> paths) {
        if (path != null) {
            paths.add(path);
        }
        if (node.isObject()) {
            node.properties().forEach(field ->
                    collectPaths(field.getValue(), path == null ? field.getKey() : path + "." + field.getKey(), paths));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectPaths(node.get(i), path + "[" + i + "]", paths);
            }
        }
    }

    private static Position at(int line, int column) {
        return new Position(line, column);
    }
}
