package dev.taskd.e2e;

import dev.taskd.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the taskd command line in a new JVM with the test class path, as the launcher would. */
public final class Cli {

    private Cli() {
    }

    /** {@code taskd ARGS} in {@code workingDirectory}, without the TASKD_* variables of this process. */
    public static ProcessBuilder command(Path workingDirectory, List<String> args) {
        List<String> command = jvm();
        if (!args.isEmpty() && List.of("start", "validate").contains(args.getFirst())) {
            // As the launcher runs these two: with the start-up cache when there is one.
            command.addAll(StartupCache.jvmOptions());
        } else {
            // As the launcher runs a client command: a short life needs no C2 compiler or parallel GC.
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        }
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove("TASKD_CONFIG");
        builder.environment().remove("TASKD_TOKEN");
        builder.environment().remove("TASKD_URL");
        return builder;
    }

    /** This JVM's java and the options every taskd JVM gets, as from the launcher. */
    static List<String> jvm() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        return command;
    }

    /** What a finished {@code taskd} command returned and printed. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /**
     * Runs {@code taskd ARGS --url http://127.0.0.1:PORT} in {@code home} and waits for it, at most
     * 90 s; its output goes through temporary files in {@code home}.
     */
    public static Result run(Path home, int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--url", "http://127.0.0.1:" + port));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = command(home, command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("taskd " + String.join(" ", args) + " did not finish within 90 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
