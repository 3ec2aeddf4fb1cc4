package dev.taskd.cli;

import dev.taskd.daemon.Daemon;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code taskd startup-training} (hidden): the workload the launcher records its start-up cache
 * from (a JDK AOT cache or a CDS archive). It starts a real daemon on a loopback address with a
 * free port, on a small configuration of its own in a temporary directory (so the user's files
 * cannot make it fail), runs a few client commands against it in this same JVM, and stops it.
 * Nothing outside that directory is touched, and the directory is deleted.
 */
@Command(name = "startup-training", hidden = true,
        description = "Start and stop a daemon on a temporary configuration (for the launcher's start-up cache).")
final class StartupTrainingCommand implements Callable<Integer> {

    private static final String RESOURCES = "training/";
    private static final List<String> FILES = List.of("taskd.toml", "loop-types/warm.toml", "loop-types/warm.js",
            "templates/warm.mustache");

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("taskd-startup-training-");
        try {
            for (String file : FILES) {
                copy(file, dir);
            }
            Daemon daemon = Daemon.start(dir.resolve("taskd.toml"), dir, VersionProvider.version());
            try {
                String url = "http://127.0.0.1:" + daemon.port();
                CommandLine client = Main.commandLine();
                PrintWriter discard = new PrintWriter(Writer.nullWriter());
                client.setOut(discard);
                client.setErr(discard);
                for (String command : List.of("status", "loops list", "types list")) {
                    client.execute((command + " --url " + url).split(" "));
                }
                // What a plain 'taskd status' runs: the fast path, without picocli or Jackson.
                FastPath.run(new String[] {"status", "--url", url}, discard, discard);
                FastPath.run(new String[] {"status", "--json", "--url", url}, discard, discard);
            } finally {
                daemon.stop("startup training");
            }
        } finally {
            delete(dir);
        }
        return ExitCode.OK;
    }

    private static void copy(String file, Path dir) throws IOException {
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = StartupTrainingCommand.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + file + " is missing from taskd.jar; rebuild taskd");
            }
            Files.copy(in, target);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
