package dev.taskd.config;

import java.util.Locale;

/**
 * How much of the running daemon a changed key touches, from least to most. The order matters:
 * a reload's scope is the highest of its changed keys, and {@link #FULL} cannot be hot-reloaded.
 */
public enum ReloadScope {
    /** Logging, metrics and the reload machinery itself. */
    MONITORING,
    /** Template text; the next iteration renders with it. */
    TEMPLATES,
    /** Admission limits, credentials and endpoints; never preempts a running loop. */
    LIMITS,
    /** Loop type definitions; running loops keep or adopt versions by their on-reload policy. */
    LOOP_TYPES,
    /** Needs a restart: the listen address, the data directory, the storage backend. */
    FULL;

    /** The name used in config files, the API and the audit log: {@code loop-types}, {@code full}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ReloadScope highest(ReloadScope a, ReloadScope b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
