package dev.taskd.loop;

import dev.taskd.config.LoopType;
import java.util.Map;

/**
 * The one rule for what a new generation does to a loop that runs a version of its type: the
 * dry run's plan ({@link GenerationEffects}) and the running loop ({@link LoopRunner}) both ask
 * it, so they cannot disagree. The <em>new</em> version's {@code on-reload} decides — it is the
 * operator's latest word — and a loop adopts only a version whose inputs its own inputs fit.
 */
final class AdoptionRule {

    /** What becomes of the loop. */
    sealed interface Decision {
        /** The new generation has the version the loop runs: nothing changes. */
        record Same() implements Decision {
        }

        /** The type is gone from the new generation: the loop finishes on its version. */
        record Finishes() implements Decision {
        }

        /** The new version says {@code on-reload = "pin"}: the loop keeps its version. */
        record Pinned() implements Decision {
        }

        /** The loop takes the new version at its next iteration. */
        record Adopts(LoopType next) implements Decision {
        }

        /** The new version would be adopted, but does not accept the loop's inputs. */
        record Kept(String why) implements Decision {
        }
    }

    private AdoptionRule() {
    }

    /**
     * @param runningVersion the version of its type the loop runs now
     * @param next           its type in the new generation, or null when the type is gone
     * @param inputs         the loop's inputs
     */
    static Decision decide(String runningVersion, LoopType next, Map<String, String> inputs) {
        if (next == null) {
            return new Decision.Finishes();
        }
        if (next.version().equals(runningVersion)) {
            return new Decision.Same();
        }
        if (next.onReload() == LoopType.OnReload.PIN) {
            return new Decision.Pinned();
        }
        try {
            SubmittedInputs.check(next, inputs);
            return new Decision.Adopts(next);
        } catch (LoopException e) {
            return new Decision.Kept(e.getMessage());
        }
    }
}
