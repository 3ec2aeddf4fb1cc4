package dev.taskd.schedule;

import java.time.Instant;

/**
 * The one decision a cluster changes: whether this node fires a schedule's fire time. A single
 * daemon always does. With a shared database, an implementation claims the (schedule, time)
 * pair there — a row inserted only if absent, or the lease of one node — so that a schedule
 * fires once, not once per node; the idempotency key every fire submits with
 * ({@code schedule:NAME:TIME}) makes a second fire of the same time answer the first one's loop
 * in any case. Called on the schedules' own thread, never on a loop's.
 */
@FunctionalInterface
public interface Firing {

    /** Every fire time is this node's. */
    Firing SINGLE_NODE = (schedule, time) -> true;

    boolean thisNodeFires(String schedule, Instant time);
}
