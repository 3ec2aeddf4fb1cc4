package dev.taskd.reload;

import java.util.Locale;

/** What started a reload; recorded in every {@code ReloadEvent} and the audit log. */
public enum ReloadTrigger {
    /** A debounced file event in a watched directory. */
    WATCH,
    /** The periodic content-hash comparison found the sources on disk differ from those applied. */
    RESYNC,
    /** SIGHUP. */
    SIGNAL,
    /** {@code POST /v1/reload}. */
    API,
    /** {@code taskd reload}. */
    CLI,
    /** A daemon start whose sources differ from the last generation applied in its data dir. */
    START,
    /** A node of a cluster applying the generation another node published (the actor names that node). */
    CLUSTER;

    /** What the watcher, the resync and SIGHUP ask for; in manual apply mode they only plan. */
    boolean automatic() {
        return this == WATCH || this == RESYNC || this == SIGNAL;
    }

    /** The name used in the API and the audit log: {@code watch}, {@code resync}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
