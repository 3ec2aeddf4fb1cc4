package dev.taskd.config;

import dev.taskd.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One complete, valid configuration: taskd.toml bound, every loop type resolved, every template
 * read, and every source that went into it with its hash. Immutable; a reload builds a new one.
 *
 * @param configFile the taskd.toml it was loaded from, as named (a symlink stays a symlink)
 * @param loopTypes  by name, in name order
 * @param templates  template sources by name ({@code fix-tests} for {@code fix-tests.mustache})
 * @param sources    every file read, config first, in reading order
 * @param hash       one hash over all sources: equal hashes mean equal sources. Secrets are not
 *                   sources and not in it: it is written to snapshots, and taskd does not version
 *                   secrets (a rollback keeps the token and key files' current content)
 * @param secrets    what the token and key files held; compared by {@link #sameAs}, never written
 */
public record ConfigSnapshot(Path configFile, TaskdConfig config, Map<String, LoopType> loopTypes,
                             Map<String, SourceFile> templates, List<SourceFile> sources, String hash,
                             Secrets secrets) {

    public ConfigSnapshot {
        loopTypes = Map.copyOf(loopTypes);
        templates = Map.copyOf(templates);
        sources = List.copyOf(sources);
        Objects.requireNonNull(secrets, "secrets");
    }

    /** A snapshot without secret files. */
    public ConfigSnapshot(Path configFile, TaskdConfig config, Map<String, LoopType> loopTypes,
                          Map<String, SourceFile> templates, List<SourceFile> sources, String hash) {
        this(configFile, config, loopTypes, templates, sources, hash, Secrets.NONE);
    }

    /** Whether {@code other} is the same configuration: the same sources and the same secrets. */
    public boolean sameAs(ConfigSnapshot other) {
        return hash.equals(other.hash) && secrets.equals(other.secrets);
    }
}
