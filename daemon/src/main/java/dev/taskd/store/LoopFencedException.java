package dev.taskd.store;

/**
 * A write for a loop this node no longer runs: another node took it over (this node's lease had
 * ended) and raised its epoch, or a cancel or pause through another node stopped it. The write
 * changed nothing; the node must abandon the loop.
 */
public final class LoopFencedException extends StoreException {

    private final transient Fence fence;

    LoopFencedException(Fence fence, String operation) {
        super(operation + " loop " + fence.loopId() + ": refused, node " + fence.node() + " (incarnation "
                + fence.incarnation() + ") no longer owns it at epoch " + fence.epoch() + " as a running loop;"
                + " it was taken over after this node's lease ended, or cancelled or paused through another"
                + " node, and this node drops it");
        this.fence = fence;
    }

    public Fence fence() {
        return fence;
    }
}
