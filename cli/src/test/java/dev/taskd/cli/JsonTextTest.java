package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonText writes what Jackson writes for the same document, so both client paths print alike. */
class JsonTextTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"version\":\"0.1.0\",\"uptime_seconds\":280,\"drift\":false,\"pending\":null,\"loops\":{\"queued\":0},"
                + "\"limits\":{\"per_type\":{},\"drain_timeout\":\"30s\"},\"storage\":{\"free_bytes\":84287938560}}",
        "[]", "{}", "[1, -2, 3.5, 1e3, -0, 12345678901234567890123]",
        "{\"a\":[{\"b\":[]},{\"c\":{\"d\":[1,{\"e\":null}]}}],\"f\":true}",
        "\"quote \\\" backslash \\\\ slash \\/ tab \\t newline \\n cr \\r bell \\u0007 é \\u00e9 ☃\"",
        "  {\"dup\": 1, \"x\": 2, \"dup\": 3}  "
    })
    void compactAndPrettyMatchJackson(String json) throws Exception {
        Object parsed = JsonText.parse(json);

        assertThat(JsonText.compact(parsed)).isEqualTo(JACKSON.readTree(json).toString());
        assertThat(JsonText.pretty(parsed)).isEqualTo(JACKSON.readTree(json).toPrettyString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "01", "tru", "\"open", "{} x", "NaN"})
    void whatIsNotJsonIsRefusedWithItsOffset(String text) {
        assertThatThrownBy(() -> JsonText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset");
    }
}
