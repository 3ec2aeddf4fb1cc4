package dev.taskd.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where configuration sources are read from: the disk as it is now ({@link #DISK}), the disk as
 * one reload read it ({@link #readOnce}), or the stored sources of an earlier generation
 * ({@link #of}; a rollback re-applies those through the same loader, leaving the files alone).
 */
public interface SourceTree {

    boolean isDirectory(Path path);

    /** @throws NoSuchFileException when there is no such file */
    long size(Path file) throws IOException;

    /** @throws NoSuchFileException when there is no such file */
    byte[] read(Path file) throws IOException;

    /** The entries of {@code directory}; regular files only need to be reported. */
    List<Path> list(Path directory) throws IOException;

    /**
     * Where secret files (the token file, API key files) are read from. taskd does not keep
     * secrets, so a tree of stored sources reads them from the disk: a rollback keeps the tokens
     * and keys the files hold now.
     */
    default SourceTree secrets() {
        return this;
    }

    /**
     * {@code tree} reading each file once: later reads of a file give the bytes of the first,
     * callers must not change them. For one reload, which reads every file twice.
     */
    static SourceTree readOnce(SourceTree tree) {
        return new OneReadingTree(tree);
    }

    /** The file system. */
    SourceTree DISK = new SourceTree() {
        public boolean isDirectory(Path path) {
            return Files.isDirectory(path);
        }

        public long size(Path file) throws IOException {
            return Files.size(file);
        }

        public byte[] read(Path file) throws IOException {
            return Files.readAllBytes(file);
        }

        public List<Path> list(Path directory) throws IOException {
            try (Stream<Path> entries = Files.list(directory)) {
                return entries.filter(Files::isRegularFile).toList();
            }
        }
    };

    /**
     * Files held in memory by absolute path. Directories are {@code directories} (which may be
     * empty) and the parents of the files. Secret files are read from the disk ({@link #secrets()}).
     */
    static SourceTree of(Map<Path, byte[]> files, Set<Path> directories) {
        Map<Path, byte[]> copy = Map.copyOf(files);
        Set<Path> dirs = Set.copyOf(directories);
        return new SourceTree() {
            public boolean isDirectory(Path path) {
                return dirs.contains(path) || copy.keySet().stream().anyMatch(file -> path.equals(file.getParent()));
            }

            public long size(Path file) throws IOException {
                return read(file).length;
            }

            public byte[] read(Path file) throws IOException {
                byte[] content = copy.get(file);
                if (content == null) {
                    throw new NoSuchFileException(file.toString());
                }
                return content.clone();
            }

            public List<Path> list(Path directory) {
                return copy.keySet().stream().filter(file -> directory.equals(file.getParent())).toList();
            }

            public SourceTree secrets() {
                return DISK;
            }
        };
    }
}
