package dev.taskd.loop;

import dev.taskd.store.BrokenDependency;
import dev.taskd.store.LoopState;
import dev.taskd.store.StoreException;

/**
 * A queued loop whose {@code after} loop failed, was cancelled or does not exist fails, with the
 * reason: on one node when the scheduler looks at it, in a cluster when any node finds it in the
 * database (the node that ran the dependency may not be the one that would run the dependant).
 */
final class DependencyFailures {

    /** Loops failed per look in a cluster; more wait for the next look. */
    private static final int BATCH = 100;

    private DependencyFailures() {
    }

    /** Why a loop that runs after {@code dependency} fails; {@code state} null when it does not exist. */
    static String reason(String dependency, LoopState state) {
        return "dependency " + dependency + (state == null ? " does not exist" : " " + LoopEvent.label(state));
    }

    /**
     * Fails the cluster's queued loops whose dependency failed. Two nodes may find the same loop:
     * the move from queued is conditional, so one makes it and announces {@code loop_finished}.
     * A store that cannot be reached or written leaves them queued for the next look.
     */
    static void failBroken(ClusterAdmission cluster, LoopLifecycle lifecycle) {
        try {
            for (BrokenDependency broken : cluster.brokenDependencies(BATCH)) {
                lifecycle.ended(broken.loopId(), LoopState.QUEUED,
                        new Ending.Failed(reason(broken.dependency(), broken.state())));
            }
        } catch (StoreException e) {
            // Tried again at the next look.
        }
    }
}
