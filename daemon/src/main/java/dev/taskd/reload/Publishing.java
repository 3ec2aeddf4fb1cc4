package dev.taskd.reload;

import dev.taskd.store.HeadMovedException;
import dev.taskd.store.Publication;
import dev.taskd.store.StoreException;
import java.util.List;

/**
 * The step between build and swap on a node of a cluster: the candidate is published, and what is
 * applied is what the cluster holds. On a single daemon it always applies the candidate as built.
 */
final class Publishing {

    /** Apply {@code ready}, numbered as published; or finish with {@code result} and apply nothing. */
    sealed interface Decision {
    }

    record Apply(Preparation.Ready ready) implements Decision {
    }

    /** @param sameAsHead the node already runs the head, which has this content */
    record Finish(ReloadResult result, boolean sameAsHead) implements Decision {

        /** The result; when the node runs the head with this content, the files read count as applied (no drift). */
        ReloadResult settle(SourceDrift sources, String fingerprint) {
            if (sameAsHead && fingerprint != null) {
                sources.applied(fingerprint);
            }
            return result;
        }
    }

    private Publishing() {
    }

    static Decision decide(GenerationHistory history, Preparation.Ready ready, long base, ReloadTrigger trigger,
                           String actor, int keep) {
        Publication publication;
        try {
            publication = history.publish(ready.candidate(), base, trigger, actor, keep);
        } catch (HeadMovedException e) {
            return new Finish(new ReloadResult.Rejected(e.getMessage(), List.of(), List.of()), false);
        } catch (StoreException e) {
            return new Finish(new ReloadResult.Failed("cannot publish the new generation to the cluster: "
                    + e.getMessage() + "; nothing was applied, the running generation is kept", false), false);
        }
        if (!publication.published() && publication.number() == base) {
            return new Finish(new ReloadResult.Unchanged(), true);
        }
        // Published now, or the head already has this content and this node catches up with it.
        return new Apply(ready.numbered(publication.number()));
    }
}
