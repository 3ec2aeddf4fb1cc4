package dev.taskd.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One complete, valid configuration: taskd.toml bound, every loop type resolved, every template
 * read, and every source that went into it with its hash. Immutable; a reload builds a new one.
 *
 * @param configFile the taskd.toml it was loaded from, as named (a symlink stays a symlink)
 * @param loopTypes  by name, in name order
 * @param templates  template sources by name ({@code fix-tests} for {@code fix-tests.mustache})
 * @param sources    every file read, config first, in reading order
 * @param hash       one hash over all sources: equal hashes mean an unchanged configuration
 */
public record ConfigSnapshot(Path configFile, TaskdConfig config, Map<String, LoopType> loopTypes,
                             Map<String, SourceFile> templates, List<SourceFile> sources, String hash) {

    public ConfigSnapshot {
        loopTypes = Map.copyOf(loopTypes);
        templates = Map.copyOf(templates);
        sources = List.copyOf(sources);
    }
}
