package dev.taskd.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of another tree: the files as one reload read them, each once, answered again
 * from memory ({@link SourceTree#DISK} reads them as they are now, every time). One reload reads
 * every source to fingerprint the files and then again to load them, and with a thousand loop
 * types the second reading cost as much as the first. Both then also see the same bytes. Failures
 * are not remembered; asking again asks the tree below. Meant for one reload and then dropped.
 * Not thread-safe: one reload reads it, on one thread.
 */
final class OneReadingTree implements SourceTree {

    private final SourceTree below;
    private final Map<Path, byte[]> contents = new HashMap<>();
    private final Map<Path, Boolean> directories = new HashMap<>();
    private final Map<Path, List<Path>> listings = new HashMap<>();

    OneReadingTree(SourceTree below) {
        this.below = below;
    }

    @Override
    public boolean isDirectory(Path path) {
        // What was read as a file in this reading is one; asking the disk again costs a stat per source.
        return !contents.containsKey(path) && directories.computeIfAbsent(path, below::isDirectory);
    }

    @Override
    public long size(Path file) throws IOException {
        byte[] content = contents.get(file);
        return content != null ? content.length : below.size(file);
    }

    /** The bytes as first read; callers must not change them. */
    @Override
    public byte[] read(Path file) throws IOException {
        byte[] content = contents.get(file);
        if (content == null) {
            content = below.read(file);
            contents.put(file, content);
        }
        return content;
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        List<Path> entries = listings.get(directory);
        if (entries == null) {
            entries = List.copyOf(below.list(directory));
            listings.put(directory, entries);
        }
        return entries;
    }
}
