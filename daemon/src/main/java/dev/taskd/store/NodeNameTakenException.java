package dev.taskd.store;

import java.time.Instant;

/** {@code daemon.node} names a node that is live now: two daemons would share one identity. */
public final class NodeNameTakenException extends StoreException {

    NodeNameTakenException(String node, long incarnation, Instant leaseUntil) {
        super("node '" + node + "' is already live in this cluster (incarnation " + incarnation + ", lease until "
                + leaseUntil + " on the database's clock); give this daemon another daemon.node, or, if that"
                + " daemon is gone, start again after its lease ends");
    }
}
