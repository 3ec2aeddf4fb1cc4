package dev.taskd.config;

import java.util.List;

/**
 * The rules between the {@code storage.*} keys that no single key's rule can state: PostgreSQL
 * needs a URL, the URL belongs to PostgreSQL only, and one password source at most. Checked on
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
        if (!storage.passwordEnv().isEmpty() && storage.passwordFile() != null) {
            findings.add(Finding.error(file, config.positionOf("storage.password-file"),
                    "both storage.password-env and storage.password-file are set",
                    "keep one of them"));
        }
    }
}
