package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneReadingTreeTest {

    @TempDir
    Path root;

    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger listings = new AtomicInteger();

    private final SourceTree counting = new SourceTree() {
        public boolean isDirectory(Path path) {
            return SourceTree.DISK.isDirectory(path);
        }

        public long size(Path file) throws IOException {
            return SourceTree.DISK.size(file);
        }

        public byte[] read(Path file) throws IOException {
            reads.incrementAndGet();
            return SourceTree.DISK.read(file);
        }

        public List<Path> list(Path directory) throws IOException {
            listings.incrementAndGet();
            return SourceTree.DISK.list(directory);
        }
    };

    @Test
    void aFileIsReadOnceAndThenGivesTheBytesOfThatReadingEvenWhenItChanges() throws IOException {
        Path file = Files.writeString(root.resolve("a.toml"), "first");
        SourceTree tree = SourceTree.readOnce(counting);

        assertThat(tree.read(file)).asString().isEqualTo("first");
        Files.writeString(file, "second, longer");

        assertThat(tree.read(file)).asString().isEqualTo("first");
        assertThat(tree.size(file)).isEqualTo(5);
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadIsNotRememberedSoAFileThatAppearsIsRead() throws IOException {
        Path file = root.resolve("late.toml");
        SourceTree tree = SourceTree.readOnce(counting);
        assertThatThrownBy(() -> tree.read(file)).isInstanceOf(NoSuchFileException.class);

        Files.writeString(file, "now");

        assertThat(tree.read(file)).asString().isEqualTo("now");
    }

    @Test
    void aDirectoryIsListedOnce() throws IOException {
        Files.writeString(root.resolve("a.toml"), "a");
        SourceTree tree = SourceTree.readOnce(counting);

        assertThat(tree.list(root)).containsExactly(root.resolve("a.toml"));
        Files.writeString(root.resolve("b.toml"), "b");

        assertThat(tree.list(root)).containsExactly(root.resolve("a.toml"));
        assertThat(listings).hasValue(1);
    }
}
