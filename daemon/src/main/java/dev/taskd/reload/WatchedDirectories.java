package dev.taskd.reload;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which configured directories are registered with the {@link WatchService}, and which are
 * missing and re-tried on every {@link #sync}. Thread-safe (every method holds the monitor):
 * the watcher thread and {@link ConfigWatcher#refresh()} callers both use it.
 */
final class WatchedDirectories {

    /** A registered directory and the file it was when registered, to notice it being replaced. */
    private record Registration(WatchKey key, Object fileKey) {
    }

    private final WatchService service;
    private final Consumer<Throwable> onError;
    private final Map<Path, Registration> registered = new HashMap<>();
    private final Set<Path> missing = new HashSet<>();
    /** Directories whose registration failed for a reason other than absence; reported once. */
    private final Set<Path> failing = new HashSet<>();
    private boolean changed;

    WatchedDirectories(WatchService service, Consumer<Throwable> onError) {
        this.service = service;
        this.onError = onError;
    }

    /**
     * Registers every wanted directory that exists and is not registered yet (or was replaced
     * since), and cancels those no longer wanted. A directory that is absent is remembered and
     * re-tried on the next call; one that was lost, replaced or came back marks a change.
     */
    synchronized void sync(WatchSettings settings) {
        Set<Path> wanted = settings.watch() ? Set.copyOf(settings.directories()) : Set.of();
        forgetUnwanted(wanted);
        for (Path dir : wanted) {
            Registration current = registered.get(dir);
            Object fileKey = fileKey(dir);
            if (current != null && current.key().isValid() && Objects.equals(current.fileKey(), fileKey)) {
                continue;
            }
            if (current != null) {
                registered.remove(dir);
                cancelIfUnused(current.key());
                missing.add(dir);
                changed = true;
            }
            if (fileKey != null) {
                register(dir, fileKey);
            } else {
                missing.add(dir);
            }
        }
    }

    /** The watch on {@code key} ended ({@code reset()} returned false): its directory is gone. */
    synchronized void lost(WatchKey key) {
        Iterator<Map.Entry<Path, Registration>> entries = registered.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Path, Registration> entry = entries.next();
            if (entry.getValue().key() == key) {
                entries.remove();
                missing.add(entry.getKey());
                changed = true;
            }
        }
    }

    synchronized boolean owns(WatchKey key) {
        return registered.values().stream().anyMatch(registration -> registration.key() == key);
    }

    /** Whether a directory was lost, replaced or came back since the last call; clears the mark. */
    synchronized boolean takeChanged() {
        boolean result = changed;
        changed = false;
        return result;
    }

    private void register(Path dir, Object fileKey) {
        try {
            WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            registered.put(dir, new Registration(key, fileKey));
            failing.remove(dir);
            // A directory that was configured but absent has come back: its files are news.
            changed |= missing.remove(dir);
        } catch (NoSuchFileException deletedMeanwhile) {
            missing.add(dir);
        } catch (IOException e) {
            missing.add(dir);
            if (failing.add(dir)) {
                onError.accept(new IOException("cannot watch " + dir + " (re-tried every resync): " + e, e));
            }
        }
    }

    private void forgetUnwanted(Set<Path> wanted) {
        missing.retainAll(wanted);
        failing.retainAll(wanted);
        Iterator<Map.Entry<Path, Registration>> entries = registered.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Path, Registration> entry = entries.next();
            if (!wanted.contains(entry.getKey())) {
                entries.remove();
                cancelIfUnused(entry.getValue().key());
            }
        }
    }

    /** Two configured paths naming the same directory share one key; cancel it only when neither wants it. */
    private void cancelIfUnused(WatchKey key) {
        if (registered.values().stream().noneMatch(registration -> registration.key() == key)) {
            key.cancel();
        }
    }

    /** The identity of the directory now at {@code dir} (follows symlinks), or null when there is none. */
    private static Object fileKey(Path dir) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
            return attributes.isDirectory() ? Objects.requireNonNullElse(attributes.fileKey(), dir) : null;
        } catch (IOException absent) {
            return null;
        }
    }
}
