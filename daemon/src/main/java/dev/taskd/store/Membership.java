package dev.taskd.store;

import java.time.Instant;

/**
 * One incarnation of a node in the cluster: its name, the incarnation number the database gave it
 * when it joined (never reused), and its lease's end on the database's clock as of the last renewal.
 */
public record Membership(String node, long incarnation, Instant leaseUntil) {
}
