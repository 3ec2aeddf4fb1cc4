package dev.taskd.store;

/**
 * A loop a node claimed: it is running there now, owned by that node's incarnation at
 * {@code epoch}, with iteration {@code iteration} marked in progress.
 */
public record Claim(String loopId, String type, long epoch, int iteration) {

    /** The fence every write for this loop carries while the node runs it. */
    public Fence fence(Membership by) {
        return new Fence(loopId, by.node(), by.incarnation(), epoch);
    }
}
