package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path root;

    private Path data;

    @BeforeEach
    void writeTree() throws IOException {
        data = root.resolve("data");
        write("config/taskd.toml", "");
        Files.createDirectories(root.resolve("templates"));
        write("loop-types/one.toml", "command = \"true\"\n");
        write("loop-types/two.toml", "command = \"true\"\n");
        write("loop-types/three.toml", "command = \"false\"\n");
    }

    @Test
    void eachContentIsStoredOnceHoweverManySnapshotsAndFilesListIt() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        store.save(1, load(), 10, Set.of());
        // taskd.toml, one and two (the same content) and three.
        assertThat(store.storedContents()).isEqualTo(3);

        write("loop-types/three.toml", "command = \"false\"\nmax-iterations = 3\n");
        store.save(2, load(), 10, Set.of());

        assertThat(store.storedContents()).isEqualTo(4);
        assertThat(contentFiles()).isEqualTo(4);
    }

    @Test
    void eachGenerationLoadsWithTheContentItHad() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        ConfigSnapshot first = load();
        store.save(1, first, 10, Set.of());
        write("loop-types/three.toml", "command = \"false\"\nmax-iterations = 3\n");
        store.save(2, load(), 10, Set.of());

        SnapshotStore.Stored stored = store.load(1).orElseThrow();

        for (SourceFile source : first.sources()) {
            assertThat(new String(stored.files().get(source.path()), StandardCharsets.UTF_8)).isEqualTo(source.text());
        }
        assertThat(stored.files()).hasSize(first.sources().size());
    }

    @Test
    void pruningDeletesTheContentsNoKeptSnapshotLists() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        store.save(1, load(), 1, Set.of());
        write("loop-types/three.toml", "command = \"false\"\nmax-iterations = 3\n");

        store.save(2, load(), 1, Set.of());

        assertThat(store.generations()).containsExactly(2L);
        assertThat(store.storedContents()).isEqualTo(3);
        assertThat(contentFiles()).isEqualTo(3);
        assertThat(store.load(2)).isPresent();
    }

    @Test
    void aContentThatComesBackIsKeptWhileAnySnapshotListsIt() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        store.save(1, load(), 2, Set.of());
        write("loop-types/three.toml", "command = \"false\"\nmax-iterations = 3\n");
        store.save(2, load(), 2, Set.of());
        write("loop-types/three.toml", "command = \"false\"\n");
        store.save(3, load(), 2, Set.of());

        assertThat(store.generations()).containsExactly(2L, 3L);
        assertThat(store.load(3).orElseThrow().files().get(root.resolve("loop-types/three.toml")))
                .asString(StandardCharsets.UTF_8).isEqualTo("command = \"false\"\n");
        assertThat(store.storedContents()).isEqualTo(4);
    }

    @Test
    void reopeningCountsTheKeptSnapshotsAndDeletesWhatACrashLeftBehind() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        store.save(1, load(), 10, Set.of());
        Files.writeString(data.resolve("snapshots/sources/" + "0".repeat(64)), "orphan");
        Files.writeString(data.resolve("snapshots/sources/" + "1".repeat(64) + ".tmp"), "half");

        SnapshotStore reopened = new SnapshotStore(data);

        assertThat(reopened.storedContents()).isEqualTo(3);
        assertThat(contentFiles()).isEqualTo(3);
        assertThat(reopened.load(1)).isPresent();
    }

    @Test
    void aSnapshotWrittenBeforeARestartIsPrunedWithItsContents() throws IOException {
        new SnapshotStore(data).save(1, load(), 1, Set.of());
        write("loop-types/three.toml", "command = \"false\"\nmax-iterations = 3\n");

        SnapshotStore reopened = new SnapshotStore(data);
        reopened.save(2, load(), 1, Set.of());

        assertThat(reopened.generations()).containsExactly(2L);
        assertThat(reopened.storedContents()).isEqualTo(3);
        assertThat(contentFiles()).isEqualTo(3);
    }

    @Test
    void aSnapshotWithItsContentInlineStillLoadsAndIsPrunedWithoutTouchingStoredContents() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = json.createObjectNode().put("generation", 1)
                .put("config_file", root.resolve("config/taskd.toml").toString()).put("hash", "x");
        old.putArray("directories");
        old.putArray("sources").addObject().put("path", root.resolve("config/taskd.toml").toString())
                .put("hash", "0".repeat(64))
                .put("content", Base64.getEncoder().encodeToString("# old\n".getBytes(StandardCharsets.UTF_8)));
        Files.createDirectories(data.resolve("snapshots"));
        Files.write(data.resolve("snapshots/1.json"), json.writeValueAsBytes(old));
        SnapshotStore store = new SnapshotStore(data);

        assertThat(store.load(1).orElseThrow().files().get(root.resolve("config/taskd.toml")))
                .asString(StandardCharsets.UTF_8).isEqualTo("# old\n");
        store.save(2, load(), 1, Set.of());
        assertThat(store.generations()).containsExactly(2L);
        assertThat(store.storedContents()).isEqualTo(3);
    }

    @Test
    void aSnapshotWhoseContentWasDeletedByHandSaysSoWhenLoaded() throws IOException {
        SnapshotStore store = new SnapshotStore(data);
        store.save(1, load(), 10, Set.of());
        try (Stream<Path> files = Files.list(data.resolve("snapshots/sources"))) {
            Files.delete(files.findFirst().orElseThrow());
        }

        assertThatThrownBy(() -> store.load(1)).isInstanceOf(IOException.class)
                .hasMessageContaining("a snapshot lists this content but it is not stored");
    }

    private ConfigSnapshot load() {
        return new ConfigLoader(root, script -> Optional.empty()).load(root.resolve("config/taskd.toml"))
                .snapshot().orElseThrow();
    }

    private long contentFiles() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("snapshots/sources"))) {
            return files.count();
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
