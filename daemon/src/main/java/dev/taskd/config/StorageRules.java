package dev.taskd.config;

import java.util.List;

/**
 * The rules between the {@code storage.*} and {@code cluster.*} keys that no single key's rule can
 * state: PostgreSQL needs a URL, the URL belongs to PostgreSQL only, one password source at most,
 * and a heartbeat of at most half the lease. Checked on
 * every load, so {@code taskd validate} refuses what a start would.
 */
final class StorageRules {

    private StorageRules() {
    }

    static void check(TomlDocument config, TaskdConfig settings, List<Finding> findings) {
        TaskdConfig.Storage storage = settings.storage();
        String file = config.source().display();
        if (storage.postgres() && storage.url().isEmpty()) {
            findings.add(Finding.error(file, config.positionOf("storage.backend"),
                    "storage.backend is \"postgres\" but storage.url is not set",
                    "set storage.url = \"jdbc:postgresql://HOST:5432/DATABASE\""));
        }
        if (!storage.postgres() && !storage.url().isEmpty()) {
            findings.add(Finding.error(file, config.positionOf("storage.url"),
                    "storage.url is set but storage.backend is \"" + storage.backend() + "\", which does not use it",
                    "set storage.backend = \"postgres\", or remove storage.url"));
        }
        TaskdConfig.Cluster cluster = settings.cluster();
        if (cluster.heartbeat().multipliedBy(2).compareTo(cluster.lease()) > 0) {
            findings.add(Finding.error(file, config.positionOf("cluster.heartbeat"),
                    "cluster.heartbeat (" + Durations.format(cluster.heartbeat()) + ") is more than half of cluster.lease ("
                            + Durations.format(cluster.lease()) + "): one late heartbeat would lose the lease",
                    "make cluster.heartbeat at most half of cluster.lease, e.g. lease \"10s\" and heartbeat \"2s\""));
        }
        if (!storage.passwordEnv().isEmpty() && storage.passwordFile() != null) {
            findings.add(Finding.error(file, config.positionOf("storage.password-file"),
                    "both storage.password-env and storage.password-file are set",
                    "keep one of them"));
        }
    }
}
