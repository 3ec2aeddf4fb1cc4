package dev.taskd.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read the configuration. */
final class ConfigOption {

    /** Set by the launcher to the directory taskd was installed in. */
    static final String HOME_PROPERTY = "taskd.home";
    static final String ENVIRONMENT_VARIABLE = "TASKD_CONFIG";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "taskd.toml to use (default: $TASKD_CONFIG, else the shipped config/taskd.toml)")
    Path config;

    /** The config file: the option, else $TASKD_CONFIG, else the shipped one. */
    Path resolve() {
        return resolve(config);
    }

    /** The config file: {@code option} (may be null), else $TASKD_CONFIG, else the shipped one. */
    static Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        String home = System.getProperty(HOME_PROPERTY);
        return home == null ? Path.of("config", "taskd.toml") : Path.of(home, "config", "taskd.toml");
    }
}
