package dev.taskd.store;

/**
 * A publish refused because the cluster's head is no longer the generation the publishing node
 * diffed against: another node published meanwhile. Nothing was published.
 */
public final class HeadMovedException extends StoreException {

    private final long head;

    public HeadMovedException(long base, long head, String publishedBy) {
        super("the cluster's configuration moved to generation " + head + " (published by node " + publishedBy
                + ") since generation " + base + ", which this change was checked against; nothing was published."
                + " This node applies generation " + head + " within a second; reload again after it");
        this.head = head;
    }

    public long head() {
        return head;
    }
}
