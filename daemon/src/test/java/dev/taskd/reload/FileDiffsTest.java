package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileDiffsTest {

    @Test
    void modifiedAddedAndRemovedFilesGetUnifiedDiffs() {
        SourceFile a1 = source("/c/loop-types/a.toml", "loop-types/a.toml", "x = 1\ny = 2\n");
        SourceFile a2 = source("/c/loop-types/a.toml", "loop-types/a.toml", "x = 1\ny = 3\n");
        SourceFile b = source("/c/loop-types/b.toml", "loop-types/b.toml", "z = 1\n");
        SourceFile gone = source("/c/templates/t.mustache", "templates/t.mustache", "hi\n");

        List<FileChange> changes = FileDiffs.between(List.of(a1, gone), List.of(a2, b));

        assertThat(changes).extracting(FileChange::path, FileChange::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("loop-types/a.toml", "modified"),
                org.assertj.core.groups.Tuple.tuple("loop-types/b.toml", "added"),
                org.assertj.core.groups.Tuple.tuple("templates/t.mustache", "removed"));
        assertThat(changes.get(0).diff()).isEqualTo("""
                --- a/loop-types/a.toml
                +++ b/loop-types/a.toml
                @@ -1,2 +1,2 @@
                 x = 1
                -y = 2
                +y = 3
                """);
        assertThat(changes.get(1).diff()).startsWith("--- /dev/null\n+++ b/loop-types/b.toml\n").contains("+z = 1");
        assertThat(changes.get(2).diff()).startsWith("--- a/templates/t.mustache\n+++ /dev/null\n").contains("-hi");
    }

    @Test
    void anUnchangedFileIsNotListedAndAHugeOneIsSummarized() {
        SourceFile same = source("/c/taskd.toml", "taskd.toml", "a = 1\n");
        String big = "line\n".repeat(FileDiffs.MAX_LINES);
        SourceFile before = source("/c/loop-types/big.toml", "loop-types/big.toml", big);
        SourceFile after = source("/c/loop-types/big.toml", "loop-types/big.toml", big + "more\n");

        List<FileChange> changes = FileDiffs.between(List.of(same, before), List.of(same, after));

        assertThat(changes).singleElement().satisfies(change -> assertThat(change.diff())
                .contains("(not shown: " + FileDiffs.MAX_LINES + " lines before, " + (FileDiffs.MAX_LINES + 1)
                        + " after"));
    }

    private static SourceFile source(String path, String display, String text) {
        return SourceFile.of(Path.of(path), display, text.getBytes(StandardCharsets.UTF_8));
    }
}
