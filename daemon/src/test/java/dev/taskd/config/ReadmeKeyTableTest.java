package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's key tables come from the one key table in code; this keeps them equal. */
class ReadmeKeyTableTest {

    @Test
    void readmeListsEveryKeyWithItsDefaultAndScope() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (List<ConfigKey> rows : List.of(ConfigKeys.TASKD, ConfigKeys.LOOP_TYPE)) {
            for (ConfigKey row : rows) {
                if (row.rule() instanceof ValueRule.Table && !row.path().contains(".")) {
                    continue;
                }
                String fallback = row.defaultToml().isEmpty() ? (row.required() ? "required" : "none")
                        : "`" + row.defaultToml() + "`";
                assertThat(readme).as("README row of " + row.path())
                        .contains("| `" + row.path() + "` | " + fallback + " | " + row.scope().label() + " | ");
            }
        }
    }
}
