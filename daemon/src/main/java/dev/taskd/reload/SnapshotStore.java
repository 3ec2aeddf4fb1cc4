package dev.taskd.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Each applied generation's sources, kept under {@code DATA_DIR/snapshots/GEN.json} so that a
 * rollback can re-apply them through the same pipeline. Only the newest
 * {@code reload.keep-snapshots} are kept. A snapshot is written to a temporary file and renamed,
 * so a crash never leaves half of one. Not thread-safe: the reload manager calls it under its lock.
 */
final class SnapshotStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    SnapshotStore(Path dataDir) throws IOException {
        this.directory = Files.createDirectories(dataDir.resolve("snapshots"));
    }

    /** Stores generation {@code number}; then drops all but the newest {@code keep}. */
    void save(long number, ConfigSnapshot snapshot, int keep) throws IOException {
        ObjectNode root = JSON.createObjectNode()
                .put("generation", number)
                .put("config_file", snapshot.configFile().toAbsolutePath().normalize().toString())
                .put("hash", snapshot.hash());
        ArrayNode directories = root.putArray("directories");
        snapshot.config().loops().paths().forEach(path -> directories.add(path.toString()));
        snapshot.config().templates().paths().forEach(path -> directories.add(path.toString()));
        ArrayNode sources = root.putArray("sources");
        for (SourceFile source : snapshot.sources()) {
            sources.addObject().put("path", source.path().toString()).put("hash", source.hash())
                    .put("content", Base64.getEncoder().encodeToString(source.text().getBytes(StandardCharsets.UTF_8)));
        }
        Path target = directory.resolve(number + ".json");
        Path temporary = directory.resolve(number + ".json.tmp");
        Files.write(temporary, JSON.writeValueAsBytes(root));
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        prune(keep);
    }

    /**
     * A stored generation: its config file, the content of each source by absolute path, and
     * the source directories it listed (some may have held no files).
     */
    record Stored(long generation, Path configFile, Map<Path, byte[]> files, java.util.Set<Path> directories) {
    }

    Optional<Stored> load(long number) throws IOException {
        Path file = directory.resolve(number + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(file.toFile());
        Map<Path, byte[]> files = new HashMap<>();
        for (JsonNode source : root.get("sources")) {
            files.put(Path.of(source.get("path").asText()), Base64.getDecoder().decode(source.get("content").asText()));
        }
        java.util.Set<Path> directories = new java.util.HashSet<>();
        root.path("directories").forEach(directory -> directories.add(Path.of(directory.asText())));
        return Optional.of(new Stored(number, Path.of(root.get("config_file").asText()), files, directories));
    }

    /** Generation numbers kept, oldest first. */
    List<Long> generations() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\d+\\.json"))
                    .map(name -> Long.parseLong(name.substring(0, name.length() - 5)))
                    .sorted()
                    .toList();
        }
    }

    private void prune(int keep) throws IOException {
        List<Long> kept = generations();
        for (int i = 0; i < kept.size() - keep; i++) {
            Files.deleteIfExists(directory.resolve(kept.get(i) + ".json"));
        }
    }
}
