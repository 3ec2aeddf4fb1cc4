package dev.taskd.reload;

import dev.taskd.audit.AuditTrail;
import dev.taskd.config.Change;
import dev.taskd.config.ReloadScope;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The last steps of every reload, whatever its result: the event (secrets redacted in its diff)
 * goes to the audit log — all but a reload that found nothing to do on its own (watcher, resync),
 * which would fill the log with no-ops — and then to the subscribers.
 */
final class ReloadRecorder {

    private final AuditTrail audit;
    private final Consumer<ReloadEvent> subscribers;

    ReloadRecorder(AuditTrail audit, Consumer<ReloadEvent> subscribers) {
        this.audit = audit;
        this.subscribers = subscribers;
    }

    ReloadEvent finish(Instant started, Generation before, Generation after, ReloadTrigger trigger, String actor,
                       List<Change> diff, Optional<ReloadScope> scope, ReloadResult result, List<LoopEffect> loops) {
        ReloadEvent event = new ReloadEvent(started, before.number(), after.number(), trigger, actor,
                diff.stream().map(Change::redacted).toList(), scope, result,
                Duration.between(started, Instant.now()), loops);
        boolean explicit = trigger == ReloadTrigger.API || trigger == ReloadTrigger.CLI
                || trigger == ReloadTrigger.SIGNAL;
        if (!(result instanceof ReloadResult.Unchanged) || explicit) {
            audit.append("reload", ReloadJson.event(event));
        }
        subscribers.accept(event);
        return event;
    }
}
