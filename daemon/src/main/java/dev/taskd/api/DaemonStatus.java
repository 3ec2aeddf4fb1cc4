package dev.taskd.api;

import dev.taskd.loop.Generation;
import dev.taskd.reload.PendingPlan;
import dev.taskd.store.StorageHealth;
import java.time.Instant;
import java.util.Optional;

/** What the API reports about the daemon itself; the daemon implements it. Thread-safe. */
public interface DaemonStatus {

    String version();

    Instant startedAt();

    /** The configuration generation in force. */
    Generation generation();

    /** True once the daemon serves loops, false again while it drains. */
    boolean ready();

    boolean draining();

    /** Begins a graceful stop and returns at once. */
    void shutdown();

    /** Whether the generation in force differs from the configuration files on disk. */
    boolean drift();

    /** In manual apply mode, the change noticed and not applied yet. */
    Optional<PendingPlan> pendingPlan();

    /** Whether the data dir can be written now, why not, and its free space. */
    StorageHealth.Status storage();
}
