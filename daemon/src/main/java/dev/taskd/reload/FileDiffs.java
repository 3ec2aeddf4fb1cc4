package dev.taskd.reload;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.taskd.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-file unified diffs of a plan: the sources in force against the candidate's. */
final class FileDiffs {

    private static final int CONTEXT = 3;
    /**
     * Beyond this many lines in the two versions together a file's diff is not computed (Myers'
     * algorithm costs the lines times the differences): the plan says how many lines changed hands.
     */
    static final int MAX_LINES = 5_000;

    private FileDiffs() {
    }

    /** Files added, modified or removed from {@code before} to {@code after}, in the candidate's reading order. */
    static List<FileChange> between(List<SourceFile> before, List<SourceFile> after) {
        Map<Path, SourceFile> old = new LinkedHashMap<>();
        before.forEach(source -> old.put(source.path(), source));
        List<FileChange> changes = new ArrayList<>();
        for (SourceFile source : after) {
            SourceFile previous = old.remove(source.path());
            if (previous == null) {
                changes.add(new FileChange(source.display(), "added", unified(source.display(), "", source.text(), true)));
            } else if (!previous.hash().equals(source.hash())) {
                changes.add(new FileChange(source.display(), "modified",
                        unified(source.display(), previous.text(), source.text(), false)));
            }
        }
        for (SourceFile removed : old.values()) {
            changes.add(new FileChange(removed.display(), "removed", unifiedRemoval(removed)));
        }
        return changes;
    }

    private static String unified(String path, String oldText, String newText, boolean added) {
        List<String> oldLines = lines(oldText);
        List<String> newLines = lines(newText);
        if (oldLines.size() + newLines.size() > MAX_LINES) {
            return "--- " + (added ? "/dev/null" : "a/" + path) + "\n+++ b/" + path + "\n(not shown: " + oldLines.size()
                    + " lines before, " + newLines.size() + " after; over " + MAX_LINES + " lines together)\n";
        }
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(added ? "/dev/null" : "a/" + path, "b/" + path,
                oldLines, DiffUtils.diff(oldLines, newLines), CONTEXT);
        return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
    }

    private static String unifiedRemoval(SourceFile removed) {
        List<String> oldLines = lines(removed.text());
        if (oldLines.size() > MAX_LINES) {
            return "--- a/" + removed.display() + "\n+++ /dev/null\n(not shown: " + oldLines.size() + " lines)\n";
        }
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + removed.display(), "/dev/null", oldLines,
                DiffUtils.diff(oldLines, List.of()), CONTEXT);
        return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
    }

    private static List<String> lines(String text) {
        String normalized = text.replace("\r\n", "\n");
        List<String> lines = new ArrayList<>(List.of(normalized.split("\n", -1)));
        if (normalized.endsWith("\n") || normalized.isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }
}
