package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.config.ConfigLoader;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.LoadCache;
import dev.taskd.config.SourceTree;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.store.PublishedGeneration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node publishes of its configuration, and how another node lays a published one out. */
class ClusterSourcesTest {

    @TempDir
    Path root;

    @Test
    void nodesWhoseFilesDifferOnlyInNodeLocalSectionsPublishTheSameContent() throws IOException {
        ConfigSnapshot a = load(node("a", 7071, 3));
        ConfigSnapshot b = load(node("b", 7072, 3));
        ConfigSnapshot changed = load(node("c", 7073, 4));

        assertThat(ClusterSources.of(a).hash()).isEqualTo(ClusterSources.of(b).hash())
                .isNotEqualTo(ClusterSources.of(changed).hash());
        assertThat(ClusterSources.of(a).json()).doesNotContain("7071", "a-data");
    }

    @Test
    void aPublishedGenerationIsLaidOutUnderThisNodesDirectoryWithItsOwnNodeSections() throws IOException {
        ConfigSnapshot a = load(node("a", 7071, 5));
        Path bConfig = node("b", 7072, 3);
        ConfigSnapshot b = load(bConfig);
        PublishedGeneration published = new PublishedGeneration(2, ClusterSources.of(a).hash(),
                ClusterSources.of(a).json(), "a", Instant.now(), "watch", "");

        SnapshotStore.Stored stored = ClusterSources.materialize(published, bConfig,
                b.sources().getFirst().text());
        ConfigSnapshot applied = new ConfigLoader(root, new GraalScriptCheck(), SourceTree.of(stored.files(),
                stored.directories()), new LoadCache()).load(stored.configFile()).snapshot().orElseThrow();

        assertThat(applied.config().daemon().listen()).isEqualTo("127.0.0.1:7072");
        assertThat(applied.config().daemon().dataDir()).isEqualTo(root.resolve("b/b-data").normalize());
        assertThat(applied.loopTypes().get("echo").maxIterations()).isEqualTo(5);
        assertThat(new String(stored.files().get(root.resolve("b/loop-types/echo.toml")), StandardCharsets.UTF_8))
                .contains("max-iterations = 5");
        assertThat(ClusterSources.of(applied).hash()).as("b applying it publishes nothing new")
                .isEqualTo(published.hash());
    }

    private Path node(String name, int port, int maxIterations) throws IOException {
        Path home = Files.createDirectories(root.resolve(name));
        Files.createDirectories(home.resolve("loop-types"));
        Files.createDirectories(home.resolve("templates"));
        Files.writeString(home.resolve("loop-types/echo.toml"), "command = \"echo hi\"\nmax-iterations = "
                + maxIterations + "\n");
        Path config = home.resolve("taskd.toml");
        Files.writeString(config, """
                [daemon]
                listen = "127.0.0.1:%d"
                data-dir = "%s-data"
                node = "%s"

                [loops]
                paths = ["loop-types"]

                [templates]
                paths = ["templates"]

                [limits]
                max-loops = 9
                """.formatted(port, name, name));
        return config;
    }

    private ConfigSnapshot load(Path config) {
        return new ConfigLoader(root, new GraalScriptCheck()).load(config).snapshot().orElseThrow();
    }
}
