package dev.taskd.config;

/** Errors make a configuration invalid; warnings are reported and the configuration still loads. */
public enum Severity {
    ERROR,
    WARNING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
