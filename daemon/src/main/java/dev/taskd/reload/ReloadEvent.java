package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.ReloadScope;
import dev.taskd.loop.LoopEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One reload, as subscribers, the audit log and the API see it.
 *
 * @param generationBefore the generation in force when it started
 * @param generationAfter  the generation in force when it ended (the same unless applied)
 * @param actor            who asked: for the API the token's name and the remote address, else ""
 * @param diff             the changes, secrets redacted
 * @param scope            the highest scope among the changes; empty when there are none
 * @param loops            what it did (or, unapplied, would have done) to running and queued loops
 */
public record ReloadEvent(Instant at, long generationBefore, long generationAfter, ReloadTrigger trigger,
                          String actor, List<Change> diff, Optional<ReloadScope> scope, ReloadResult result,
                          Duration duration, List<LoopEffect> loops) {

    public ReloadEvent {
        diff = List.copyOf(diff);
        loops = List.copyOf(loops);
    }
}
