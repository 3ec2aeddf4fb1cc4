package dev.taskd.reload;

import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.SourceTree;
import dev.taskd.source.SourceFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Candidate files laid over the sources of the generation in force, for a preview of files that
 * are not in place ({@code taskd reload --dry-run --from DIR}, {@code --file}). Candidates are
 * named as the configuration is laid out, whatever the directories are called on this machine:
 * {@code taskd.toml} is the config file; {@code loop-types/NAME} replaces the loop-type file of
 * that name, or is added to the last {@code loops.paths} directory; {@code templates/NAME} the
 * same among {@code templates.paths}.
 */
final class CandidateSources {

    private CandidateSources() {
    }

    /** @throws IllegalArgumentException naming a candidate path that is not laid out so */
    static SourceTree overlay(ConfigSnapshot running, Map<String, byte[]> candidates) {
        Map<Path, byte[]> files = new HashMap<>();
        for (SourceFile source : running.sources()) {
            files.put(source.path(), SourceBytes.asRead(source));
        }
        Set<Path> directories = new HashSet<>(running.config().loops().paths());
        directories.addAll(running.config().templates().paths());
        for (Map.Entry<String, byte[]> candidate : candidates.entrySet()) {
            files.put(target(running, candidate.getKey()), candidate.getValue());
        }
        return SourceTree.of(files, directories);
    }

    private static Path target(ConfigSnapshot running, String relative) {
        String path = relative.replace('\\', '/');
        if (path.equals("taskd.toml")) {
            return running.configFile().toAbsolutePath().normalize();
        }
        int slash = path.indexOf('/');
        String name = slash < 0 ? "" : path.substring(slash + 1);
        String kind = slash < 0 ? path : path.substring(0, slash);
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw unknown(relative);
        }
        return switch (kind) {
            case "loop-types" -> in(running.config().loops().paths(), running, name, relative);
            case "templates" -> in(running.config().templates().paths(), running, name, relative);
            default -> throw unknown(relative);
        };
    }

    /** The file {@code name} in the directory of {@code directories} that holds it now, else in the last one. */
    private static Path in(List<Path> directories, ConfigSnapshot running, String name, String relative) {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("candidate '" + relative + "': the configuration in force has no such"
                    + " directory; add it to loops.paths or templates.paths first");
        }
        for (SourceFile source : running.sources()) {
            Path parent = source.path().getParent();
            if (source.fileName().equals(name) && directories.stream().anyMatch(dir -> dir.toAbsolutePath().normalize()
                    .equals(parent))) {
                return source.path();
            }
        }
        return directories.getLast().toAbsolutePath().normalize().resolve(name);
    }

    private static IllegalArgumentException unknown(String relative) {
        return new IllegalArgumentException("candidate '" + relative + "' is not laid out like the configuration:"
                + " name it taskd.toml, loop-types/NAME or templates/NAME");
    }
}
