package dev.taskd.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The contents of the kept snapshots' sources on disk, one file per distinct content under
 * {@code snapshots/sources/HASH}, so that a generation that changed one file out of a thousand
 * writes one file rather than a copy of all of them. {@link SnapshotStore} writes the snapshots,
 * each a list of paths and hashes; this class holds the bytes behind those hashes. Each content
 * counts the kept snapshots that list it, and is deleted when none does any more.
 *
 * <p>A content is written before any snapshot lists it and deleted only after no snapshot
 * lists it, so a crash in between leaves at most contents no snapshot lists; {@link #open}
 * deletes those. Not thread-safe: the snapshot store calls it under the reload lock.
 */
final class SnapshotContents {

    private final Path directory;
    private final Map<String, Integer> references = new HashMap<>();

    private SnapshotContents(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens the contents in {@code directory}, counting the references of {@code listed} (the
     * distinct hashes each kept snapshot lists) and deleting every file none of them lists, such
     * as what a crash left behind.
     */
    static SnapshotContents open(Path directory, List<? extends Collection<String>> listed) throws IOException {
        SnapshotContents contents = new SnapshotContents(Files.createDirectories(directory));
        listed.forEach(contents::count);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (!contents.references.containsKey(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return contents;
    }

    /** Whether the content {@code hash} is stored. */
    boolean has(String hash) {
        return references.containsKey(hash);
    }

    /**
     * Stores a content that is not stored yet; {@link #count} the snapshot that lists it next.
     * Written in place, without a temporary file and a rename: until a snapshot lists it, a
     * content half written by a crash is one no snapshot lists, which {@link #open} deletes.
     */
    void write(String hash, byte[] content) throws IOException {
        Files.write(directory.resolve(hash), content);
    }

    /**
     * Counts one snapshot's references: each distinct content it lists once, as {@link #release}
     * drops them. Every one of them must have been written.
     */
    void count(Collection<String> hashes) {
        hashes.forEach(hash -> references.merge(hash, 1, Integer::sum));
    }

    /**
     * Drops the references of a snapshot that was deleted (each distinct content it listed once);
     * deletes the contents nothing lists now.
     */
    void release(Collection<String> hashes) throws IOException {
        for (String hash : hashes) {
            Integer count = references.get(hash);
            if (count == null) {
                continue;
            }
            if (count > 1) {
                references.put(hash, count - 1);
            } else {
                references.remove(hash);
                Files.deleteIfExists(directory.resolve(hash));
            }
        }
    }

    /** The content stored under {@code hash}. */
    byte[] read(String hash) throws IOException {
        try {
            return Files.readAllBytes(directory.resolve(hash));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(directory.resolve(hash).toString(), null,
                    "a snapshot lists this content but it is not stored; was the data directory changed by hand?");
        }
    }

    /** How many distinct contents are stored. */
    int size() {
        return references.size();
    }
}
