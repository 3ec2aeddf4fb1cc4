package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirFilesTest {

    @TempDir
    Path temp;

    private Path workdir;
    private WorkdirFiles files;

    private WorkdirFiles files() throws IOException {
        if (files == null) {
            workdir = Files.createDirectories(temp.resolve("work"));
            files = new WorkdirFiles(workdir);
        }
        return files;
    }

    @Test
    void writesCreateParentsAndReadBack() throws IOException {
        files().write("a/b/c.txt", "text ✓");

        assertThat(files.read("a/b/c.txt")).isEqualTo("text ✓");
        assertThat(files.list("a/b")).containsExactly("c.txt");
        assertThat(files.exists("a/b")).isTrue();
    }

    @Test
    void listIsSortedByName() throws IOException {
        files().write("b", "");
        files.write("a", "");
        files.write("c/d", "");

        assertThat(files.list(".")).containsExactly("a", "b", "c");
        assertThat(files.list("")).containsExactly("a", "b", "c");
    }

    @Test
    void dotDotThatStaysInsideIsAllowed() throws IOException {
        files().write("a/../b.txt", "x");

        assertThat(Files.readString(workdir.resolve("b.txt"))).isEqualTo("x");
    }

    @Test
    void dotDotThatLeavesIsRefused() {
        assertThatThrownBy(() -> files().read("../../etc/passwd"))
                .isInstanceOf(WorkdirFiles.Refused.class)
                .hasMessage("path '../../etc/passwd' leaves the work dir");
        assertThatThrownBy(() -> files().write("a/../../x", "")).hasMessage("path 'a/../../x' leaves the work dir");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    @Test
    void absolutePathsAreRefusedEvenInsideTheWorkDir() throws IOException {
        String inside = files().resolve("f").toString();

        assertThatThrownBy(() -> files.exists(inside)).isInstanceOf(WorkdirFiles.Refused.class)
                .hasMessageContaining("is absolute");
    }

    @Test
    void aSymbolicLinkPointingOutIsRefusedForReadWriteListAndExists() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.createSymbolicLink(files().resolve("out"), outside);
        Files.createSymbolicLink(workdir.resolve("secret-link"), outside.resolve("secret"));

        assertThatThrownBy(() -> files.read("out/secret")).isInstanceOf(WorkdirFiles.Refused.class)
                .hasMessageStartingWith("path 'out/secret' leaves the work dir through a symbolic link");
        assertThatThrownBy(() -> files.read("secret-link")).isInstanceOf(WorkdirFiles.Refused.class);
        assertThatThrownBy(() -> files.write("out/new/file", "x")).isInstanceOf(WorkdirFiles.Refused.class);
        assertThatThrownBy(() -> files.list("out")).isInstanceOf(WorkdirFiles.Refused.class);
        assertThatThrownBy(() -> files.exists("out")).isInstanceOf(WorkdirFiles.Refused.class);
        assertThat(outside.resolve("new")).doesNotExist();
    }

    @Test
    void aDanglingSymbolicLinkCannotBeWrittenThrough() throws IOException {
        Files.createSymbolicLink(files().resolve("dangling"), temp.resolve("outside-new"));

        assertThatThrownBy(() -> files.write("dangling", "x")).isInstanceOf(WorkdirFiles.Refused.class);
        assertThat(temp.resolve("outside-new")).doesNotExist();
    }

    @Test
    void aSymbolicLinkStayingInsideIsFollowed() throws IOException {
        files().write("real/f.txt", "in");
        Files.createSymbolicLink(workdir.resolve("alias"), workdir.resolve("real"));

        assertThat(files.read("alias/f.txt")).isEqualTo("in");
    }

    @Test
    void aWorkDirReachedThroughASymbolicLinkStillWorks() throws IOException {
        Path real = Files.createDirectories(temp.resolve("real-work"));
        Path link = Files.createSymbolicLink(temp.resolve("link-work"), real);
        WorkdirFiles viaLink = new WorkdirFiles(link);

        viaLink.write("f", "x");

        assertThat(viaLink.read("f")).isEqualTo("x");
    }

    @Test
    void readsAreBounded() throws IOException {
        try (OutputStream out = Files.newOutputStream(files().resolve("big"))) {
            out.write(new byte[WorkdirFiles.MAX_READ_BYTES + 1]);
        }

        assertThatThrownBy(() -> files.read("big"))
                .hasMessage("cannot read 'big': larger than the limit of 16777216 bytes");
    }

    @Test
    void missingFilesAndDirectoriesSaySo() {
        assertThatThrownBy(() -> files().read("nope")).hasMessage("cannot read 'nope': no such file");
        assertThatThrownBy(() -> files().list("nope")).hasMessage("cannot list 'nope': no such directory");
        assertThatThrownBy(() -> files().read(".")).hasMessage("cannot read '.': it is a directory");
    }
}
