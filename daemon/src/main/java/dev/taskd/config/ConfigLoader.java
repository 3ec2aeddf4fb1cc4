package dev.taskd.config;

import java.nio.file.Path;

/**
 * Loads a whole configuration — taskd.toml, the loop types and the templates it points to — into
 * one {@link ConfigSnapshot}, reporting every finding rather than stopping at the first.
 * {@code taskd validate} and every reload use this same loader, so they agree.
 *
 * <p>Relative paths in taskd.toml resolve against the directory that holds it as named: a
 * taskd.toml that is a symlink (a Kubernetes ConfigMap mount) does not move that directory.
 * Thread-safe: each call to {@link #load} is independent.
 */
public final class ConfigLoader {

    private final SourceReader reader;
    private final ScriptChecker scripts;

    /**
     * @param displayBase findings name files relative to this directory (the CLI's working directory)
     * @param scripts     checks scripts; the GraalJS one in the daemon and the CLI
     */
    public ConfigLoader(Path displayBase, ScriptChecker scripts) {
        this(displayBase, scripts, SourceTree.DISK);
    }

    /** A loader over {@code tree}: the disk, or the stored sources of an earlier generation. */
    public ConfigLoader(Path displayBase, ScriptChecker scripts, SourceTree tree) {
        this.reader = new SourceReader(displayBase, tree);
        this.scripts = scripts;
    }

    /** Reads and checks everything; never throws for anything wrong with the files. */
    public LoadResult load(Path configFile) {
        return new ConfigLoading(reader, scripts).load(configFile);
    }
}
