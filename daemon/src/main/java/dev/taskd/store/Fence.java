package dev.taskd.store;

/**
 * What a write for a loop must match to change anything: the owning node's incarnation and the
 * loop's epoch when that node claimed it. A takeover raises the epoch, so every later write of
 * the node that lost the loop fails with {@link LoopFencedException}.
 */
public record Fence(String loopId, String node, long incarnation, long epoch) {
}
