package dev.taskd.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a person did to a loop, kept on the loop's record: who, when, what, and after which
 * iteration.
 *
 * @param actor     who asked, as the API knows the caller (its address, for now)
 * @param action    {@code retried}, {@code approved} or {@code rejected}
 * @param iteration the loop's last recorded iteration when it happened
 * @param detail    what goes with it: a retry's new limit, a rejection's reason; may be null
 */
public record LoopNote(String loopId, Instant at, String actor, String action, int iteration, String detail) {

    public LoopNote {
        Objects.requireNonNull(loopId, "loopId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
    }
}
