package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.Finding;
import java.util.List;

/** How a reload ended. A closed set, switched over exhaustively where it is reported. */
public sealed interface ReloadResult {

    /** Its name in the API and the audit log: {@code applied}, {@code failed}, {@code rejected}, {@code unchanged}. */
    String label();

    /** The new generation is in force. */
    record Applied(List<Change> changes, List<String> warnings) implements ReloadResult {
        public Applied {
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }

        public String label() {
            return "applied";
        }
    }

    /** Applying failed part-way; {@code rollbackPerformed} says whether the applied steps were undone. */
    record Failed(String error, boolean rollbackPerformed) implements ReloadResult {
        public String label() {
            return "failed";
        }
    }

    /**
     * Not applied at all: the configuration is invalid ({@code findings}), a restart-only key
     * changed ({@code unsafeChanges}), or the daemon is draining.
     */
    record Rejected(String reason, List<Change> unsafeChanges, List<Finding> findings) implements ReloadResult {
        public Rejected {
            unsafeChanges = List.copyOf(unsafeChanges);
            findings = List.copyOf(findings);
        }

        public String label() {
            return "rejected";
        }
    }

    /** The files hash the same as the generation in force: nothing to do. */
    record Unchanged() implements ReloadResult {
        public String label() {
            return "unchanged";
        }
    }
}
