package dev.taskd.e2e;

import dev.taskd.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the taskd command line in a new JVM with the test class path, as the launcher would. */
public final class Cli {

    private Cli() {
    }

    /** {@code taskd ARGS} in {@code workingDirectory}, without the TASKD_* variables of this process. */
    public static ProcessBuilder command(Path workingDirectory, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove("TASKD_CONFIG");
        builder.environment().remove("TASKD_TOKEN");
        builder.environment().remove("TASKD_URL");
        return builder;
    }
}
