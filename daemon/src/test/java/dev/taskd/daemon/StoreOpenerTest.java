package dev.taskd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskd.config.TaskdConfig;
import dev.taskd.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOpenerTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/taskd";

    @TempDir
    Path dir;

    @Test
    void thePasswordComesFromTheNamedVariableOrTheFilesFirstLine() throws Exception {
        TaskdConfig.Storage fromEnv = new TaskdConfig.Storage("postgres", URL, "taskd", "DB_PASSWORD", null);
        assertThat(StoreOpener.password(fromEnv, Map.of("DB_PASSWORD", "s3cret")::get)).isEqualTo("s3cret");

        Path file = Files.writeString(dir.resolve("db-password"), "  from-file \nsecond line\n");
        TaskdConfig.Storage fromFile = new TaskdConfig.Storage("postgres", URL, "taskd", "", file);
        assertThat(StoreOpener.password(fromFile, name -> null)).isEqualTo("from-file");

        TaskdConfig.Storage none = new TaskdConfig.Storage("postgres", URL, "", "", null);
        assertThat(StoreOpener.password(none, name -> null)).isEmpty();
    }

    @Test
    void anUnsetVariableOrAnUnreadableFileIsNamedWithTheFix() {
        TaskdConfig.Storage fromEnv = new TaskdConfig.Storage("postgres", URL, "taskd", "DB_PASSWORD", null);
        assertThatThrownBy(() -> StoreOpener.password(fromEnv, name -> null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("storage.password-env names DB_PASSWORD, which is not set")
                .hasMessageContaining("export it");

        TaskdConfig.Storage fromFile = new TaskdConfig.Storage("postgres", URL, "taskd", "", dir.resolve("missing"));
        assertThatThrownBy(() -> StoreOpener.password(fromFile, name -> null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("storage.password-file " + dir.resolve("missing") + " cannot be read");
    }
}
