package dev.taskd.reload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link ConfigWatcher} watches and how often it looks: {@code reload.watch},
 * {@code reload.debounce}, {@code reload.resync-interval}, and the directories holding the
 * sources (the config file's directory, every {@code loops.paths} and {@code templates.paths}
 * entry, the directories of the token and key files). Directories, not files: an atomic rename
 * or a Kubernetes {@code ..data} swap replaces the file, and only the directory sees it.
 *
 * @param directories absolute, normalized and distinct once built; need not exist
 * @param watch false turns file events and the resync's reloads off: nothing reloads by itself
 * @param debounce quiet time after the last event before a change is reported; zero allowed
 * @param resyncInterval how often content hashes are compared and missing directories re-tried
 * @param otherNames names of files that are sources whatever their suffix: the token and key
 *                   files ({@code tokens}, {@code claude.key})
 */
public record WatchSettings(List<Path> directories, boolean watch, Duration debounce, Duration resyncInterval,
                            Set<String> otherNames) {

    /** Settings whose sources are only those {@link ConfigWatcher#isSource} recognizes by name. */
    public WatchSettings(List<Path> directories, boolean watch, Duration debounce, Duration resyncInterval) {
        this(directories, watch, debounce, resyncInterval, Set.of());
    }

    public WatchSettings {
        otherNames = Set.copyOf(otherNames);
        directories = Objects.requireNonNull(directories, "directories").stream()
                .map(dir -> dir.toAbsolutePath().normalize())
                .distinct()
                .toList();
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative, got " + debounce);
        }
        if (!resyncInterval.isPositive()) {
            throw new IllegalArgumentException("resyncInterval must be positive, got " + resyncInterval);
        }
    }
}
