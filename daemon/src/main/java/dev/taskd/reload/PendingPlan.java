package dev.taskd.reload;

import java.time.Instant;

/**
 * In manual apply mode, the plan of a change the watcher, the resync or SIGHUP noticed and did not
 * apply: it waits for {@code taskd reload}.
 *
 * @param trigger what noticed it
 * @param at      when it was planned
 */
public record PendingPlan(ReloadPlan plan, ReloadTrigger trigger, Instant at) {
}
