package dev.taskd.daemon;

import dev.taskd.audit.AuditLog;
import dev.taskd.audit.AuditTrail;
import dev.taskd.audit.DatabaseAuditLog;
import dev.taskd.cluster.ClusterNode;
import dev.taskd.config.TaskdConfig;
import dev.taskd.store.AuditTable;
import dev.taskd.store.ClusterStore;
import dev.taskd.store.NodeNameTakenException;
import dev.taskd.store.PostgresTarget;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens the store {@code storage.*} names: SQLite in the data dir, or a PostgreSQL database; on
 * PostgreSQL the daemon is always a node of a cluster (of one, when it runs alone), see
 * {@link #joinCluster}.
 */
final class StoreOpener {

    private StoreOpener() {
    }

    /**
     * @param environment reads an environment variable (null when unset)
     * @throws StoreException when the store cannot be opened, or its password cannot be read
     */
    static Store open(TaskdConfig.Storage config, Path dataDir, StorageHealth storage,
                      Function<String, String> environment) {
        if (!config.postgres()) {
            return Store.open(dataDir, storage);
        }
        return Store.open(target(config, environment), storage);
    }

    /**
     * On PostgreSQL: joins the cluster as {@code daemon.node} (the host name when empty), for the
     * daemon to start its loop engine through; null on SQLite.
     *
     * @throws NodeNameTakenException when a live node has this name
     */
    static ClusterNode joinCluster(TaskdConfig config, Store store, Function<String, String> environment,
                                   ClusterNode.Listener listener) {
        if (!config.storage().postgres()) {
            return null;
        }
        TaskdConfig.Cluster settings = config.cluster();
        String node = settings.node().isEmpty() ? hostName() : settings.node();
        ClusterStore cluster = ClusterStore.open(target(config.storage(), environment));
        try {
            return ClusterNode.join(cluster, store, node, settings.lease(), settings.heartbeat(), listener);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The audit log where the store is: {@code DATA_DIR/audit.jsonl} on SQLite (a torn last line
     * cut away and told to {@code repaired}); on PostgreSQL the cluster's table, appended to as
     * this node. A data dir's file stays where it is when its daemon moves to PostgreSQL: the
     * database's chain starts at 1 and the file can still be checked offline.
     *
     * @param cluster the node joined on PostgreSQL; null on SQLite
     */
    static AuditTrail openAudit(TaskdConfig.Storage config, Path dataDir, StorageHealth storage, ClusterNode cluster,
                                Function<String, String> environment, Consumer<String> repaired) {
        if (cluster == null) {
            AuditLog file = AuditLog.open(dataDir, storage);
            file.repaired().ifPresent(repaired);
            return file;
        }
        return DatabaseAuditLog.open(AuditTable.open(target(config, environment)), cluster.node(), storage);
    }

    private static PostgresTarget target(TaskdConfig.Storage config, Function<String, String> environment) {
        return new PostgresTarget(config.url(), config.user(), password(config, environment));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new StoreException("daemon.node is empty and this machine's host name cannot be read (" + e
                    + "); set daemon.node to a name for this node");
        }
    }

    /** The password from {@code storage.password-env} or the first line of {@code storage.password-file}; "" when neither. */
    static String password(TaskdConfig.Storage config, Function<String, String> environment) {
        if (!config.passwordEnv().isEmpty()) {
            String value = environment.apply(config.passwordEnv());
            if (value == null || value.isEmpty()) {
                throw new StoreException("storage.password-env names " + config.passwordEnv()
                        + ", which is not set in taskd's environment; export it, or use storage.password-file");
            }
            return value;
        }
        if (config.passwordFile() != null) {
            try {
                String text = Files.readString(config.passwordFile());
                return text.lines().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new StoreException("storage.password-file " + config.passwordFile() + " cannot be read: " + e
                        + "; check the path and that taskd's user may read it", e);
            }
        }
        return "";
    }
}
