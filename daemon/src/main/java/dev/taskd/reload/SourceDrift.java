package dev.taskd.reload;

import dev.taskd.config.SourceTree;
import java.nio.file.Path;

/**
 * How the configuration files on disk stand against the reloads: the fingerprint of the files
 * the generation in force came from (applied), of the files a reload or plan last read
 * (attempted: the resync compares with it, so a broken file is not retried until it changes),
 * and a recent reading for drift. Written under the manager's lock; read from any thread.
 */
final class SourceDrift {

    private final Path configFile;
    private final RecentFingerprint disk;
    private volatile String attempted;
    /** The fingerprint of the disk files the generation in force came from; "" after a rollback. */
    private volatile String applied;

    SourceDrift(Path configFile) {
        this.configFile = configFile;
        this.disk = new RecentFingerprint(configFile);
        this.attempted = disk.recent();
        this.applied = attempted;
    }

    /** The fingerprint of {@code reading} (the files on disk, read once), now the attempted one. */
    String read(SourceTree reading) {
        String fingerprint = SourceFingerprint.of(configFile, reading);
        attempted = fingerprint;
        disk.observed(fingerprint);
        return fingerprint;
    }

    /** The generation in force came from the files of {@code fingerprint}; "" for none on disk. */
    void applied(String fingerprint) {
        applied = fingerprint;
    }

    String applied() {
        return applied;
    }

    /** An applied reload was taken back: {@code before} is in force again, and the files are tried again. */
    void undone(String before) {
        applied = before;
        attempted = "";
    }

    String attempted() {
        return attempted;
    }

    /** The fingerprint of the files on disk now (reads them, validates nothing). */
    String now() {
        return SourceFingerprint.of(configFile);
    }

    /** Whether the files on disk, as read at most {@link RecentFingerprint#FRESH} ago, differ from those applied. */
    boolean drift() {
        return !disk.recent().equals(applied);
    }
}
