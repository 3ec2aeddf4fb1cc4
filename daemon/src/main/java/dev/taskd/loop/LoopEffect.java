package dev.taskd.loop;

/**
 * What a new configuration generation does to one loop, as a reload and its dry run report it.
 *
 * @param effect {@code pinned} (keeps its version), {@code adopts} (takes the new version at its
 *               next iteration), {@code kept} (would adopt, but the new version does not accept its
 *               inputs; a reload warns about it), {@code finishes} (its type is gone; it ends on its version),
 *               {@code blocked} (queued, its type is gone), {@code resumed} (blocked, its type is back)
 * @param detail why, in words
 */
public record LoopEffect(String loopId, String type, String effect, String detail) {
}
