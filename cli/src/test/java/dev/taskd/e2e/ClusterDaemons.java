package dev.taskd.e2e;

import dev.taskd.store.PostgresTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end tests of a cluster share: each node a real daemon in its own directory under
 * {@link #root}, on one PostgreSQL database, named by {@code daemon.node}, with a lease short
 * enough for a test to wait out; every node the test started is stopped after it.
 */
abstract class ClusterDaemons {

    @TempDir
    Path root;

    /** The nodes to stop after the test: add each one started. */
    final List<DaemonProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(DaemonProcess::close);
    }

    /**
     * Node {@code name}'s daemon, not started, in {@code root/name}.
     *
     * @param clusterKeys more lines of {@code [cluster]} (e.g. {@code shared-dir}), or ""
     * @param moreToml    more sections of taskd.toml after it, or ""
     */
    DaemonProcess node(String name, PostgresTarget db, Duration lease, Duration heartbeat, String clusterKeys,
                       String moreToml) throws IOException {
        DaemonProcess daemon = new DaemonProcess(root.resolve(name), """
                [storage]
                backend = "postgres"
                url = "%s"

                [cluster]
                lease = "%dms"
                heartbeat = "%dms"
                %s
                %s
                """.formatted(db.url(), lease.toMillis(), heartbeat.toMillis(), clusterKeys, moreToml));
        Files.writeString(daemon.config, Files.readString(daemon.config)
                .replace("data-dir = \"data\"", "data-dir = \"data\"\nnode = \"" + name + "\""));
        return daemon;
    }
}
