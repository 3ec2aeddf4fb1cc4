package dev.taskd.reload;

import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.taskd.concurrent.Threads;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The file-change triggers of hot reload: debounced {@link WatchService} events on the source
 * directories ({@link ReloadTrigger#WATCH}), and a periodic content-hash resync
 * ({@link ReloadTrigger#RESYNC}) for what events miss — OVERFLOW, network and macOS file
 * systems, directories deleted and recreated.
 *
 * <p>Any event in a watched directory counts, whatever it names (a Kubernetes {@code ..data}
 * swap never names the config file; an OVERFLOW names nothing); the listener is called once
 * {@code debounce} has passed since the last one. A directory that is missing, deleted or
 * replaced is re-tried on every resync tick, and its return is reported as a change.
 *
 * <p>One virtual thread, {@code config-watcher}, owns the loop and is the only caller of the
 * listener, so calls never overlap; changes during a call are reported after it returns. The
 * settings are read on every cycle and apply within a second; {@link #refresh()} re-registers
 * directories at once. Whatever the listener or a supplier throws goes to {@code onError} and
 * the watcher keeps going.
 */
public final class ConfigWatcher implements AutoCloseable {

    /** Receives the triggers; called from the watcher thread only, never concurrently with itself. */
    @FunctionalInterface
    public interface Listener {
        void changed(ReloadTrigger trigger);
    }

    /** The longest the loop sleeps, so changed settings apply while nothing happens. */
    private static final long MAX_WAIT_NANOS = Duration.ofSeconds(1).toNanos();
    /** The longest a run of events without a quiet gap may postpone a reload, beyond one debounce. */
    static final long MAX_POSTPONE_NANOS = Duration.ofSeconds(2).toNanos();

    private final Supplier<WatchSettings> settings;
    private final Listener listener;
    private final Consumer<Throwable> onError;
    private final WatchService service;
    private final WatchedDirectories directories;
    private final ResyncCheck resync;
    private final Thread thread;
    private volatile WatchSettings lastSettings;
    private volatile boolean closed;
    private volatile long overflows;
    // Owned by the watcher thread.
    private long lastResync = System.nanoTime();
    private long firstEvent;
    private long lastEvent;
    private boolean pending;

    private ConfigWatcher(Supplier<WatchSettings> settings, ResyncCheck resync, Listener listener,
            Consumer<Throwable> onError) throws IOException {
        this.settings = settings;
        this.resync = resync;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.onError = Objects.requireNonNull(onError, "onError");
        this.lastSettings = Objects.requireNonNull(settings.get(), "settings returned null");
        this.service = FileSystems.getDefault().newWatchService();
        this.directories = new WatchedDirectories(service, this::report);
        directories.sync(lastSettings);
        this.thread = Threads.startVirtual("config-watcher", this::run);
    }

    /**
     * Registers the directories and starts the watcher thread.
     *
     * @param settings read on every cycle, from the watcher thread and from {@link #refresh()}
     * @param diskHash the content hash of the sources on disk; called on the watcher thread
     * @param appliedHash the hash compared with it: of the configuration in force, or of the last
     *     one attempted (then a broken file is not retried by resync at all)
     * @throws IOException when no WatchService can be created; nothing is left running
     */
    public static ConfigWatcher start(Supplier<WatchSettings> settings, Supplier<String> diskHash,
            Supplier<String> appliedHash, Listener listener, Consumer<Throwable> onError) throws IOException {
        return new ConfigWatcher(Objects.requireNonNull(settings, "settings"),
                new ResyncCheck(diskHash, appliedHash), listener, onError);
    }

    /** Re-reads the settings and re-registers the directories now; call after a reload changed them. */
    public void refresh() {
        if (closed) {
            return;
        }
        try {
            directories.sync(currentSettings());
        } catch (ClosedWatchServiceException closedMeanwhile) {
            // close() won the race; nothing is watched any more, which is what the caller wants.
        }
    }

    /** How many OVERFLOW events were seen: each means events were lost and a full re-read followed. */
    long overflows() {
        return overflows;
    }

    /**
     * Stops the watcher thread and closes the WatchService. Returns once the thread has ended,
     * after a listener call in progress returns; from the listener itself it returns at once.
     */
    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            report(e);
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                cycle();
            }
        } catch (ClosedWatchServiceException e) {
            // close()
        } catch (InterruptedException e) {
            if (!closed) {
                report(new IllegalStateException("config watcher interrupted: file changes are no longer noticed", e));
            }
        }
    }

    private void cycle() throws InterruptedException {
        WatchSettings now = currentSettings();
        long debounce = now.debounce().toNanos();
        long interval = now.resyncInterval().toNanos();
        long time = System.nanoTime();
        if (time - lastResync >= interval) {
            lastResync = time;
            directories.sync(now);
            // With a debounce pending a WATCH call is coming anyway; comparing half-written files is noise.
            // With watch off nothing reloads by itself: the resync only re-registers directories.
            if (now.watch() && !pending && resyncDue()) {
                call(ReloadTrigger.RESYNC);
            }
        }
        if (directories.takeChanged()) {
            eventAt(time);
        }
        // A stream of writes with no quiet gap is not allowed to postpone the reload for ever.
        if (pending && (time - lastEvent >= debounce || time - firstEvent >= MAX_POSTPONE_NANOS + debounce)) {
            pending = false;
            call(ReloadTrigger.WATCH);
            return;
        }
        long wait = lastResync + interval - time;
        if (pending) {
            wait = Math.min(wait, Math.min(lastEvent + debounce, firstEvent + MAX_POSTPONE_NANOS + debounce) - time);
        }
        WatchKey key = service.poll(Math.clamp(wait, 0, MAX_WAIT_NANOS), TimeUnit.NANOSECONDS);
        for (; key != null; key = service.poll()) {
            take(key);
        }
    }

    private void take(WatchKey key) {
        if (!directories.owns(key)) {
            return; // cancelled by a refresh while its events were queued
        }
        List<WatchEvent<?>> events = key.pollEvents();
        boolean relevant = false;
        for (WatchEvent<?> event : events) {
            if (event.kind() == OVERFLOW) {
                overflows++; // single writer: the watcher thread
                relevant = true;
            } else {
                relevant |= isSource(event.context()) || isOtherSource(event.context());
            }
        }
        if (!key.reset()) {
            directories.lost(key);
            relevant = true;
        }
        if (relevant) {
            eventAt(System.nanoTime());
        }
    }

    /**
     * Whether an event names a file that can be a source: a TOML, script or template file, or a
     * Kubernetes {@code ..data}-style entry (whose swap never names the files it replaces).
     * Anything else in a watched directory — a log file beside taskd.toml, an editor's swap or
     * backup file — is ignored, so that it cannot keep postponing a reload.
     */
    static boolean isSource(Object context) {
        if (!(context instanceof Path path)) {
            return true;
        }
        String name = path.getFileName().toString();
        return name.startsWith("..") || name.endsWith(".toml") || name.endsWith(".js") || name.endsWith(".mjs")
                || name.endsWith(".mustache");
    }

    /** Whether an event names a token or key file ({@link WatchSettings#otherNames}). */
    private boolean isOtherSource(Object context) {
        return context instanceof Path path && lastSettings.otherNames().contains(path.getFileName().toString());
    }

    private void eventAt(long time) {
        if (!pending) {
            firstEvent = time;
        }
        pending = true;
        lastEvent = time;
    }

    private boolean resyncDue() {
        try {
            return resync.due();
        } catch (RuntimeException e) {
            report(e);
            return false;
        }
    }

    private void call(ReloadTrigger trigger) {
        try {
            listener.changed(trigger);
        } catch (Throwable t) {
            report(t);
        }
    }

    private WatchSettings currentSettings() {
        try {
            WatchSettings fresh = Objects.requireNonNull(settings.get(), "settings returned null");
            lastSettings = fresh;
            return fresh;
        } catch (RuntimeException e) {
            report(e);
            return lastSettings;
        }
    }

    private void report(Throwable error) {
        try {
            onError.accept(error);
        } catch (RuntimeException ignored) {
            // The error handler failing leaves nowhere to report to; the watcher must stay alive.
        }
    }
}
