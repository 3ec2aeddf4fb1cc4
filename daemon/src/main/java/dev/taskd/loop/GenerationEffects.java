package dev.taskd.loop;

import dev.taskd.config.LoopType;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out what a new generation does to running and queued loops, without doing it: the same
 * answer for a dry run and for the reload that follows it.
 */
final class GenerationEffects {

    private GenerationEffects() {
    }

    /** Effects on running loops: pinned, adopting, or finishing on a removed type. */
    static List<LoopEffect> running(List<Scheduler.Running> running, Generation current, Generation next,
                                    java.util.function.Function<String, java.util.Map<String, String>> inputsOf) {
        List<LoopEffect> effects = new ArrayList<>();
        for (Scheduler.Running loop : running) {
            LoopType before = current.snapshot().loopTypes().get(loop.type());
            LoopType after = next.snapshot().loopTypes().get(loop.type());
            if (after == null) {
                effects.add(new LoopEffect(loop.id(), loop.type(), "finishes",
                        "its type is removed; it finishes on the version it runs"));
            } else if (before != null && !before.version().equals(after.version())) {
                effects.add(versionChange(loop, after, inputsOf));
            }
        }
        return effects;
    }

    private static LoopEffect versionChange(Scheduler.Running loop, LoopType after,
                                            java.util.function.Function<String, java.util.Map<String, String>> inputsOf) {
        if (after.onReload() == LoopType.OnReload.PIN) {
            return new LoopEffect(loop.id(), loop.type(), "pinned", "on-reload = \"pin\": keeps the version it started with");
        }
        try {
            SubmittedInputs.check(after, inputsOf.apply(loop.id()));
            return new LoopEffect(loop.id(), loop.type(), "adopts", "adopts version "
                    + after.version().substring(0, 12) + " at its next iteration");
        } catch (LoopException e) {
            return new LoopEffect(loop.id(), loop.type(), "kept",
                    "stays on its version: the new one does not accept its inputs (" + e.getMessage() + ")");
        }
    }
}
