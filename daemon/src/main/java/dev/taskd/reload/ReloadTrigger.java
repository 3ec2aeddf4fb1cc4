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
    START;

    /** The name used in the API and the audit log: {@code watch}, {@code resync}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
