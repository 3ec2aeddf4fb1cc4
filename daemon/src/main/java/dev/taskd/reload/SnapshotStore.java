package dev.taskd.reload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.source.ContentHash;
import dev.taskd.source.SourceFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Each applied generation's sources, kept so that a rollback can re-apply them through the same
 * pipeline, and so that a loop pinned to a generation can be rebuilt after a restart:
 * {@code DATA_DIR/snapshots/GEN.json} lists every source's path and content hash, and
 * each distinct content is stored once under {@code snapshots/sources/} (see {@link SnapshotContents}),
 * so a reload that changed one file of a thousand writes that file's content and the list. Only
 * the newest {@code reload.keep-snapshots} are kept, and those unfinished loops still run on.
 * A number is written once: generations are numbered for the life of the data dir. A snapshot is written to a temporary file and
 * renamed, after its contents, so a crash never leaves half of one nor one that lists a content
 * not stored. Snapshots written before contents were stored apart carry each content inline
 * ({@code "content"}, Base64) and still load. Not thread-safe: the reload manager calls it under
 * its lock.
 */
final class SnapshotStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A content hash as {@code ContentHash} writes it; anything else in a list is not a stored content. */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /**
     * How many snapshots' lists of contents are remembered, so that pruning the oldest need not
     * read its file back: enough for the default {@code keep-snapshots}, bounded for any.
     */
    private static final int REMEMBERED = 64;

    private final Path directory;
    private final SnapshotContents contents;
    private final TreeMap<Long, String[]> remembered = new TreeMap<>();

    /** Opens the snapshots in {@code dataDir}; reads every kept one to count what it lists. */
    SnapshotStore(Path dataDir) throws IOException {
        this.directory = Files.createDirectories(dataDir.resolve("snapshots"));
        List<Set<String>> listed = new ArrayList<>();
        for (long generation : generations()) {
            listed.add(storedHashes(generation));
        }
        this.contents = SnapshotContents.open(directory.resolve("sources"), listed);
    }

    /**
     * Stores generation {@code number}, then drops the oldest beyond the newest {@code keep},
     * except those in {@code inUse} (generations unfinished loops still run on). A number is
     * stored once for the life of the data dir: saving one that is kept again with the same
     * content does nothing, and with other content fails, since history is never rewritten.
     *
     * @throws IOException also when generation {@code number} is kept with other content
     */
    void save(long number, ConfigSnapshot snapshot, int keep, Set<Long> inUse) throws IOException {
        Optional<String> kept = hash(number);
        if (kept.isPresent()) {
            if (!kept.get().equals(snapshot.hash())) {
                throw new IOException("generation " + number + " is already stored with other sources (hash "
                        + kept.get() + ", not " + snapshot.hash() + "); history is never overwritten");
            }
            return;
        }
        Set<String> listed = new LinkedHashSet<>();
        for (SourceFile source : snapshot.sources()) {
            if (listed.add(source.hash()) && !contents.has(source.hash())) {
                contents.write(source.hash(), SourceBytes.asRead(source));
            }
        }
        contents.count(listed);
        Path temporary = directory.resolve(number + ".json.tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary));
             JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            write(json, number, snapshot);
        }
        try {
            Files.move(temporary, file(number), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file(number), StandardCopyOption.REPLACE_EXISTING);
        }
        remember(number, listed);
        prune(keep, inUse);
    }

    /** The hash over all sources that generation {@code number} recorded, when it is kept. */
    Optional<String> hash(long number) throws IOException {
        if (!Files.exists(file(number))) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(file(number).toFile()).path("hash").asText());
    }

    /** Streamed rather than built as a tree first: with a thousand sources the tree cost more than the writing. */
    private static void write(JsonGenerator json, long number, ConfigSnapshot snapshot) throws IOException {
        json.writeStartObject();
        json.writeNumberField("generation", number);
        json.writeStringField("config_file", snapshot.configFile().toAbsolutePath().normalize().toString());
        json.writeStringField("hash", snapshot.hash());
        json.writeArrayFieldStart("directories");
        for (Path path : snapshot.config().loops().paths()) {
            json.writeString(path.toString());
        }
        for (Path path : snapshot.config().templates().paths()) {
            json.writeString(path.toString());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("sources");
        for (SourceFile source : snapshot.sources()) {
            json.writeStartObject();
            json.writeStringField("path", source.path().toString());
            json.writeStringField("hash", source.hash());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /**
     * A stored generation: its config file, the content of each source by absolute path, and
     * the source directories it listed (some may have held no files).
     */
    record Stored(long generation, Path configFile, Map<Path, byte[]> files, Set<Path> directories, String hash) {
    }

    /**
     * @throws IOException also when a content the snapshot lists is not stored, or is stored but
     *                     no longer has the hash the snapshot lists (the message says which)
     */
    Optional<Stored> load(long number) throws IOException {
        if (!Files.exists(file(number))) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(file(number).toFile());
        Map<Path, byte[]> files = new HashMap<>();
        for (JsonNode source : root.get("sources")) {
            JsonNode inline = source.get("content");
            byte[] content = inline != null ? Base64.getDecoder().decode(inline.asText())
                    : contents.read(storedHash(source));
            if (inline == null && !ContentHash.of(content).equals(source.path("hash").asText())) {
                throw new IOException("generation " + number + ": the stored content of " + source.path("path").asText()
                        + " no longer has its recorded hash " + source.path("hash").asText()
                        + "; the data dir was changed by hand, and this generation cannot be rolled back to");
            }
            files.put(Path.of(source.get("path").asText()), content);
        }
        Set<Path> directories = new HashSet<>();
        root.path("directories").forEach(directory -> directories.add(Path.of(directory.asText())));
        return Optional.of(new Stored(number, Path.of(root.get("config_file").asText()), files, directories,
                root.path("hash").asText()));
    }

    /** Deletes generation {@code number} when it is kept with the sources of {@code hash}. */
    void discard(long number, String hash) throws IOException {
        if (hash(number).filter(hash::equals).isEmpty()) {
            return;
        }
        Set<String> hashes = listedBy(number);
        Files.deleteIfExists(file(number));
        contents.release(hashes);
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
        return contents.size();
    }

    /** Drops the oldest beyond the newest {@code keep}, sparing those in {@code inUse}. */
    private void prune(int keep, Set<Long> inUse) throws IOException {
        List<Long> kept = generations();
        for (int i = 0; i < kept.size() - keep; i++) {
            if (inUse.contains(kept.get(i))) {
                continue;
            }
            Set<String> hashes = listedBy(kept.get(i));
            Files.deleteIfExists(file(kept.get(i)));
            contents.release(hashes);
        }
    }

    /** Remembers what a snapshot just written lists, forgetting the oldest beyond {@link #REMEMBERED}. */
    private void remember(long number, Set<String> listed) {
        remembered.put(number, listed.toArray(String[]::new));
        if (remembered.size() > REMEMBERED) {
            remembered.pollFirstEntry();
        }
    }

    /** What generation {@code number} lists in the content store: remembered, else read from its file. */
    private Set<String> listedBy(long number) throws IOException {
        String[] listed = remembered.remove(number);
        return listed != null ? Set.of(listed) : storedHashes(number);
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
