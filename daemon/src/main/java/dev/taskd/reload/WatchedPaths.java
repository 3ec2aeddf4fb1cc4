package dev.taskd.reload;

import dev.taskd.config.TaskdConfig;
import dev.taskd.loop.Generation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the watcher watches, from the generation in force: the directory holding taskd.toml (as
 * named: a symlinked file does not move it), every {@code loops.paths} and
 * {@code templates.paths} entry, and the directory of the token file and of every API key file
 * (as named, so a Kubernetes secret's {@code ..data} swap is seen); and the reload side effect
 * that re-registers them with the manager's watcher, whichever is running (none before
 * {@link HotReloadManager#startWatching} or after close).
 */
final class WatchedPaths implements SideEffect {

    private final Path configFile;
    private final Supplier<ConfigWatcher> watcher;

    WatchedPaths(Path configFile, Supplier<ConfigWatcher> watcher) {
        this.configFile = configFile.toAbsolutePath().normalize();
        this.watcher = watcher;
    }

    WatchSettings settings(Generation generation) {
        TaskdConfig config = generation.snapshot().config();
        List<Path> directories = new ArrayList<>();
        directories.add(configFile.getParent());
        directories.addAll(config.loops().paths());
        directories.addAll(config.templates().paths());
        Set<String> secretNames = new HashSet<>();
        for (Path secret : secretFiles(config)) {
            directories.add(secret.getParent());
            secretNames.add(secret.getFileName().toString());
        }
        return new WatchSettings(directories, config.reload().watch(), config.reload().debounce(),
                config.reload().resyncInterval(), secretNames);
    }

    private static List<Path> secretFiles(TaskdConfig config) {
        List<Path> files = new ArrayList<>();
        if (config.auth().tokenFile() != null) {
            files.add(config.auth().tokenFile());
        }
        config.llm().providers().values().stream().map(TaskdConfig.Provider::apiKeyFile).filter(Objects::nonNull)
                .forEach(files::add);
        return files;
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
        ConfigWatcher current = watcher.get();
        if (current != null) {
            current.refresh();
        }
    }
}
