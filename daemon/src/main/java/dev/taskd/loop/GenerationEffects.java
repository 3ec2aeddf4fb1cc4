package dev.taskd.loop;

import dev.taskd.store.LoopRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Works out what a new generation does to running loops, without doing it: the same answer for a
 * dry run and for the reload that follows it, since both ask {@link AdoptionRule}, as the running
 * loop itself does.
 */
final class GenerationEffects {

    private GenerationEffects() {
    }

    /**
     * Effects on running loops: pinned, adopting, kept on their version, or finishing on a removed
     * type. {@code loops} reads a loop's record: the version it runs and its inputs.
     */
    static List<LoopEffect> running(List<Scheduler.Running> running, Generation next,
                                    Function<String, Optional<LoopRecord>> loops) {
        List<LoopEffect> effects = new ArrayList<>();
        for (Scheduler.Running entry : running) {
            Optional<LoopRecord> loop = loops.apply(entry.id());
            if (loop.isEmpty()) {
                continue;
            }
            AdoptionRule.Decision decision = AdoptionRule.decide(loop.get().typeVersion(),
                    next.snapshot().loopTypes().get(entry.type()), loop.get().inputs());
            switch (decision) {
                case AdoptionRule.Decision.Same same -> { }
                case AdoptionRule.Decision.Finishes finishes -> effects.add(new LoopEffect(entry.id(), entry.type(),
                        LoopEffect.Effect.FINISHES, "its type is removed; it finishes on the version it runs"));
                case AdoptionRule.Decision.Pinned pinned -> effects.add(new LoopEffect(entry.id(), entry.type(),
                        LoopEffect.Effect.PINNED, "on-reload = \"pin\": keeps the version it runs"));
                case AdoptionRule.Decision.Adopts adopts -> effects.add(new LoopEffect(entry.id(), entry.type(),
                        LoopEffect.Effect.ADOPTS, "adopts version " + adopts.next().version().substring(0, 12)
                                + " at its next iteration"));
                case AdoptionRule.Decision.Kept kept -> effects.add(new LoopEffect(entry.id(), entry.type(),
                        LoopEffect.Effect.KEPT, "stays on its version: the new one does not accept its inputs ("
                                + kept.why() + ")"));
            }
        }
        return effects;
    }
}
