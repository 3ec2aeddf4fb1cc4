package dev.taskd.daemon;

import dev.taskd.config.TaskdConfig;
import dev.taskd.loop.Generation;
import dev.taskd.reload.ConfigWatcher;
import dev.taskd.reload.SideEffect;
import dev.taskd.reload.WatchSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the watcher watches, from the generation in force: the directory holding taskd.toml (as
 * named: a symlinked file does not move it), every {@code loops.paths} and
 * {@code templates.paths} entry; and the reload side effect that re-registers them.
 */
final class WatchedPaths implements SideEffect {

    private final Path configFile;
    private volatile ConfigWatcher watcher;

    WatchedPaths(Path configFile) {
        this.configFile = configFile.toAbsolutePath().normalize();
    }

    void attach(ConfigWatcher watcher) {
        this.watcher = watcher;
    }

    WatchSettings settings(Generation generation) {
        TaskdConfig config = generation.snapshot().config();
        List<Path> directories = new ArrayList<>();
        directories.add(configFile.getParent());
        directories.addAll(config.loops().paths());
        directories.addAll(config.templates().paths());
        return new WatchSettings(directories, config.reload().watch(), config.reload().debounce(),
                config.reload().resyncInterval());
    }

    @Override
    public String name() {
        return "watched paths";
    }

    @Override
    public void apply(Generation before, Generation after) {
        refresh();
    }

    @Override
    public void undo(Generation before, Generation after) {
        refresh();
    }

    private void refresh() {
        ConfigWatcher current = watcher;
        if (current != null) {
            current.refresh();
        }
    }
}
