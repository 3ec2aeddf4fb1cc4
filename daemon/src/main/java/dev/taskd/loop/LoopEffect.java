package dev.taskd.loop;

import java.util.Locale;

/**
 * What a new configuration generation does to one loop, as a reload and its dry run report it.
 *
 * @param detail why, in words
 */
public record LoopEffect(String loopId, String type, Effect effect, String detail) {

    /** The closed set of effects; {@link #label} is how the API, the audit log and the CLI show each. */
    public enum Effect {
        /** It keeps its version ({@code on-reload = "pin"}). */
        PINNED,
        /** It takes the new version at its next iteration. */
        ADOPTS,
        /** It would adopt, but the new version does not accept its inputs; a reload warns about it. */
        KEPT,
        /** Its type is gone; it ends on its version. */
        FINISHES,
        /** Queued, its type is gone. */
        BLOCKED,
        /** Blocked, its type is back. */
        RESUMED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
