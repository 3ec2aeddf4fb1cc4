package dev.taskd.loop;

/** Where a queued loop with dependencies stands for the {@link Scheduler}: ready, waiting for one, or dropped (failed). */
sealed interface Readiness {
    record Ready() implements Readiness {
    }

    record Waiting(String dependency) implements Readiness {
    }

    record Dropped() implements Readiness {
    }
}
