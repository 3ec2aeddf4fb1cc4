package dev.taskd.config;

import java.nio.file.Path;

/**
 * Loads a whole configuration — taskd.toml, the loop types and the templates it points to — into
 * one {@link ConfigSnapshot}, reporting every finding rather than stopping at the first.
 * {@code taskd validate} and every reload use this same loader, so they agree.
 *
 * <p>Relative paths in taskd.toml resolve against the directory that holds it as named: a
 * taskd.toml that is a symlink (a Kubernetes ConfigMap mount) does not move that directory.
 * Thread-safe: loads may overlap, each a {@link LoadPass} of its own; each reuses what the last
 * finished one kept (see {@link LoadCache}).
 */
public final class ConfigLoader {

    private final SourceReader reader;
    private final ScriptValidator scripts;
    private final LoadCache cache;

    /**
     * @param displayBase findings name files relative to this directory (the CLI's working directory)
     * @param scripts     checks scripts; the GraalJS one in the daemon and the CLI
     */
    public ConfigLoader(Path displayBase, ScriptValidator scripts) {
        this(displayBase, scripts, SourceTree.DISK);
    }

    /** A loader over {@code tree}: the disk, or the stored sources of an earlier generation. */
    public ConfigLoader(Path displayBase, ScriptValidator scripts, SourceTree tree) {
        this(displayBase, scripts, tree, new LoadCache());
    }

    /**
     * A loader that reuses, through {@code cache}, what earlier loads with the same cache parsed
     * and built from files that are unchanged since; the reload manager keeps one for the
     * daemon's life.
     */
    public ConfigLoader(Path displayBase, ScriptValidator scripts, SourceTree tree, LoadCache cache) {
        this.reader = new SourceReader(displayBase, tree);
        this.scripts = scripts;
        this.cache = cache;
    }

    /** Reads and checks everything; never throws for anything wrong with the files. */
    public LoadResult load(Path configFile) {
        return new LoadPass(reader, scripts, cache.begin()).load(configFile);
    }
}
