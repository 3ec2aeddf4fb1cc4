package dev.taskd.daemon;

import dev.taskd.config.Finding;
import java.util.List;

/** The daemon refused to start: its configuration has errors, listed as findings. */
public final class InvalidConfigException extends Exception {

    private final List<Finding> findings;

    public InvalidConfigException(String message, List<Finding> findings) {
        super(message);
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }
}
