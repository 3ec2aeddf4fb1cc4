package dev.taskd.daemon;

import dev.taskd.config.TaskdConfig;
import dev.taskd.store.PostgresTarget;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.Store;
import dev.taskd.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Opens the store {@code storage.*} names: SQLite in the data dir, or a PostgreSQL database. */
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
        return Store.open(new PostgresTarget(config.url(), config.user(), password(config, environment)), storage);
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
