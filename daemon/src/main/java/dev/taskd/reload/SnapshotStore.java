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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Each applied generation's sources, kept so that a rollback can re-apply them through the same
 * pipeline: {@code DATA_DIR/snapshots/GEN.json} lists every source's path and content hash, and
 * each distinct content is stored once under {@code snapshots/sources/} (see {@link SourceBlobs}),
 * so a reload that changed one file of a thousand writes that file's content and the list. Only
 * the newest {@code reload.keep-snapshots} are kept. A snapshot is written to a temporary file and
 * renamed, after its contents, so a crash never leaves half of one nor one that lists a content
 * not stored. Snapshots written before contents were stored apart carry each content inline
 * ({@code "content"}, Base64) and still load. Not thread-safe: the reload manager calls it under
 * its lock.
 */
final class SnapshotStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A content hash as {@code ContentHash} writes it; anything else in a list is not a stored content. */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Path directory;
    private final SourceBlobs blobs;

    /** Opens the snapshots in {@code dataDir}; reads every kept one to count what it lists. */
    SnapshotStore(Path dataDir) throws IOException {
        this.directory = Files.createDirectories(dataDir.resolve("snapshots"));
        List<Set<String>> listed = new ArrayList<>();
        for (long generation : generations()) {
            listed.add(storedHashes(generation));
        }
        this.blobs = SourceBlobs.open(directory.resolve("sources"), listed);
    }

    /** Stores generation {@code number} (replacing one of that number); then drops all but the newest {@code keep}. */
    void save(long number, ConfigSnapshot snapshot, int keep) throws IOException {
        ObjectNode root = JSON.createObjectNode()
                .put("generation", number)
                .put("config_file", snapshot.configFile().toAbsolutePath().normalize().toString())
                .put("hash", snapshot.hash());
        ArrayNode directories = root.putArray("directories");
        snapshot.config().loops().paths().forEach(path -> directories.add(path.toString()));
        snapshot.config().templates().paths().forEach(path -> directories.add(path.toString()));
        ArrayNode sources = root.putArray("sources");
        Set<String> listed = new LinkedHashSet<>();
        for (SourceFile source : snapshot.sources()) {
            sources.addObject().put("path", source.path().toString()).put("hash", source.hash());
            if (listed.add(source.hash()) && !blobs.has(source.hash())) {
                // The text as loaded, as a rollback reads it; equal hashes mean equal bytes, so equal text.
                blobs.write(source.hash(), source.text().getBytes(StandardCharsets.UTF_8));
            }
        }
        Set<String> replaced = Files.exists(file(number)) ? storedHashes(number) : Set.of();
        blobs.count(listed);
        Path temporary = directory.resolve(number + ".json.tmp");
        Files.write(temporary, JSON.writeValueAsBytes(root));
        try {
            Files.move(temporary, file(number), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file(number), StandardCopyOption.REPLACE_EXISTING);
        }
        blobs.release(replaced);
        prune(keep);
    }

    /**
     * A stored generation: its config file, the content of each source by absolute path, and
     * the source directories it listed (some may have held no files).
     */
    record Stored(long generation, Path configFile, Map<Path, byte[]> files, Set<Path> directories) {
    }

    /** @throws IOException also when a content the snapshot lists is not stored (the message says which) */
    Optional<Stored> load(long number) throws IOException {
        if (!Files.exists(file(number))) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(file(number).toFile());
        Map<Path, byte[]> files = new HashMap<>();
        for (JsonNode source : root.get("sources")) {
            JsonNode inline = source.get("content");
            files.put(Path.of(source.get("path").asText()), inline != null
                    ? Base64.getDecoder().decode(inline.asText()) : blobs.read(storedHash(source)));
        }
        Set<Path> directories = new HashSet<>();
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

    /** How many distinct source contents are stored, for tests. */
    int storedContents() {
        return blobs.size();
    }

    private void prune(int keep) throws IOException {
        List<Long> kept = generations();
        for (int i = 0; i < kept.size() - keep; i++) {
            Set<String> hashes = storedHashes(kept.get(i));
            Files.deleteIfExists(file(kept.get(i)));
            blobs.release(hashes);
        }
    }

    /** The distinct contents generation {@code number} lists in the content store (none for inline ones). */
    private Set<String> storedHashes(long number) throws IOException {
        Set<String> hashes = new HashSet<>();
        for (JsonNode source : JSON.readTree(file(number).toFile()).path("sources")) {
            if (source.get("content") == null && HASH.matcher(source.path("hash").asText()).matches()) {
                hashes.add(source.path("hash").asText());
            }
        }
        return hashes;
    }

    private String storedHash(JsonNode source) throws IOException {
        String hash = source.path("hash").asText();
        if (!HASH.matcher(hash).matches()) {
            throw new IOException("snapshot source " + source.path("path").asText() + " has no content and no valid hash ('"
                    + hash + "'); the snapshot file was changed by hand and cannot be rolled back to");
        }
        return hash;
    }

    private Path file(long number) {
        return directory.resolve(number + ".json");
    }
}
