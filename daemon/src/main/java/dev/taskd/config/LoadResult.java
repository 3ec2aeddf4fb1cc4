package dev.taskd.config;

import java.util.List;
import java.util.Optional;

/**
 * What loading a configuration gave: the snapshot when there are no errors, and every finding
 * (errors and warnings) in reading order.
 */
public record LoadResult(Optional<ConfigSnapshot> snapshot, List<Finding> findings) {

    public LoadResult {
        findings = List.copyOf(findings);
    }

    public boolean valid() {
        return snapshot.isPresent();
    }

    public long errors() {
        return findings.stream().filter(Finding::isError).count();
    }

    public long warnings() {
        return findings.size() - errors();
    }
}
