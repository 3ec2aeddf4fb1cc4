package dev.taskd.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.NodeSections;
import dev.taskd.source.ContentHash;
import dev.taskd.source.SourceFile;
import dev.taskd.store.PublishedGeneration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A generation's sources as the cluster shares them: every file by its path relative to the
 * directory of taskd.toml (so each node lays them out under its own configuration directory),
 * taskd.toml without its node-local sections ({@link NodeSections}). The JSON is written with
 * sorted keys, and its hash is the generation's content address: nodes whose files differ only in
 * their node-local sections publish the same hash, so a change every node sees is published once.
 */
final class ClusterSources {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterSources() {
    }

    /** What a node publishes for {@code snapshot}: the JSON and its hash. */
    record Shared(String hash, String json) {
    }

    static Shared of(ConfigSnapshot snapshot) {
        Path base = directory(snapshot.configFile());
        SourceFile config = snapshot.sources().getFirst();
        Map<String, String> files = new TreeMap<>();
        for (SourceFile source : snapshot.sources()) {
            if (source != config) {
                files.put(relative(base, source.path()), source.text());
            }
        }
        Set<String> directories = new TreeSet<>();
        snapshot.config().loops().paths().forEach(path -> directories.add(relative(base, path)));
        snapshot.config().templates().paths().forEach(path -> directories.add(relative(base, path)));
        ObjectNode root = JSON.createObjectNode();
        root.put("config", NodeSections.shared(config.text()));
        directories.forEach(root.putArray("directories")::add);
        ObjectNode byPath = root.putObject("files");
        files.forEach(byPath::put);
        String json = root.toString();
        return new Shared(ContentHash.of(json), json);
    }

    /**
     * Published generation {@code published} laid out under {@code configFile}'s directory, its
     * taskd.toml {@link NodeSections#compose composed} with the node-local lines of {@code localToml}.
     * The hash is null: the composed sources hash differently on each node.
     */
    static SnapshotStore.Stored materialize(PublishedGeneration published, Path configFile, String localToml)
            throws IOException {
        JsonNode root = JSON.readTree(published.sources());
        Path config = configFile.toAbsolutePath().normalize();
        Path base = directory(configFile);
        Map<Path, byte[]> files = new HashMap<>();
        files.put(config, NodeSections.compose(root.path("config").asText(), localToml).getBytes(StandardCharsets.UTF_8));
        root.path("files").properties().forEach(entry -> files.put(base.resolve(entry.getKey()).normalize(),
                entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        Set<Path> directories = new HashSet<>();
        root.path("directories").forEach(directory -> directories.add(base.resolve(directory.asText()).normalize()));
        return new SnapshotStore.Stored(published.number(), config, files, directories, null);
    }

    private static Path directory(Path configFile) {
        return configFile.toAbsolutePath().normalize().getParent();
    }

    private static String relative(Path base, Path path) {
        return base.relativize(path.toAbsolutePath().normalize()).toString();
    }
}
