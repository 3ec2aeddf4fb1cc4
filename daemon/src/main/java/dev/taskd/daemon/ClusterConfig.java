package dev.taskd.daemon;

import dev.taskd.cluster.ClusterNode;
import dev.taskd.cluster.ConfigFollower;
import dev.taskd.config.ScriptValidator;
import dev.taskd.event.DaemonEvent;
import dev.taskd.loop.Generation;
import dev.taskd.reload.ClusterGenerations;
import dev.taskd.reload.GenerationHistory;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.Subscribers;
import dev.taskd.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The wiring of one configuration generation for the cluster: on PostgreSQL the generation history
 * is the cluster's ({@link ClusterGenerations}) and a {@link ConfigFollower} applies the head and
 * acknowledges it; on SQLite the data dir's history, and nothing follows.
 */
final class ClusterConfig {

    private final ClusterNode node; // null on SQLite
    private final ClusterGenerations generations;
    private final Supplier<Generation> current;
    private final EventLog log;

    ClusterConfig(ClusterNode node, Path configFile, Supplier<Generation> current, EventLog log) {
        this.node = node;
        this.current = current;
        this.log = log;
        this.generations = node == null ? null : new ClusterGenerations(node.store(), node.node(), configFile, current);
    }

    GenerationHistory history(Path dataDir, Store store, Path displayBase, ScriptValidator scripts) throws IOException {
        return generations == null ? GenerationHistory.open(dataDir, store, displayBase, scripts)
                : GenerationHistory.openInCluster(dataDir, store, displayBase, scripts, generations);
    }

    /**
     * In a cluster: applies the head now, unless this node runs it, and follows it from then on;
     * the node's own reloads are reported to the follower for its status. Call before the node
     * claims loops, after the reload manager is made.
     */
    void follow(HotReloadManager reloads, Subscribers subscribers, BooleanSupplier draining) {
        if (node == null) {
            return;
        }
        ConfigFollower follower = new ConfigFollower(generations, node, reloads, current, draining,
                (what, detail, trouble) -> log.emit(new DaemonEvent.Cluster(what, detail, trouble)));
        subscribers.subscribe("cluster", follower::reloaded);
        follower.start();
    }
}
