package dev.taskd.config;

import java.util.Locale;

/** Errors make a configuration invalid; warnings are reported and the configuration still loads. */
public enum Severity {
    ERROR,
    WARNING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
