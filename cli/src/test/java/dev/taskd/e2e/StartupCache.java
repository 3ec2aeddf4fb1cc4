package dev.taskd.e2e;

import dev.taskd.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The start-up cache the launcher gives {@code taskd start} and {@code taskd validate} (JDK 25's
 * AOT cache, recorded from {@code taskd startup-training}; README, "Performance"), made for the
 * test class path, so that the end-to-end tests' daemons start as an installed one does: in about
 * a third of the time a JVM without it takes to load GraalJS and Helidon, which the suite pays
 * some 140 times.
 *
 * <p>A JVM maps such a cache only for a class path of jar files, so each directory on the test
 * class path ({@code target/classes}) is copied into a jar first. Jars and cache live in
 * {@code target/e2e-startup-cache/<digest>}, the digest of the class path's files, so a rebuild
 * records anew; test JVMs running side by side record it once, under a file lock. Where the JDK
 * has no AOT cache (before 25), recording fails, or {@code -Dtaskd.e2e.startupCache=false} is
 * set, the daemon runs on the plain test class path without one. The cache changes when classes
 * are loaded, never what the daemon does.
 */
final class StartupCache {

    private static final Path ROOT = Path.of("target", "e2e-startup-cache").toAbsolutePath();
    private static List<String> flags;

    private StartupCache() {
    }

    /**
     * The JVM options that put the cache to use: a class path and the cache, or only the test
     * class path when there is no cache. Recorded by the first caller of this JVM.
     */
    static synchronized List<String> jvmOptions() {
        if (flags == null) {
            flags = prepare();
        }
        return flags;
    }

    private static List<String> prepare() {
        String testClassPath = System.getProperty("java.class.path");
        List<String> plain = List.of("-cp", testClassPath);
        if (Runtime.version().feature() < 25 || !Boolean.parseBoolean(System.getProperty("taskd.e2e.startupCache", "true"))) {
            return plain;
        }
        try {
            List<Path> entries = Stream.of(testClassPath.split(java.io.File.pathSeparator))
                    .filter(entry -> !entry.isEmpty()).map(Path::of).toList();
            Path dir = ROOT.resolve(digest(entries));
            Files.createDirectories(ROOT);
            try (FileChannel lockFile = FileChannel.open(ROOT.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                Path cache = dir.resolve("daemon.aot");
                Path failed = dir.resolve("recording-failed.log");
                String classPath = jarClassPath(entries, dir);
                if (!Files.exists(cache) && !Files.exists(failed)) {
                    deleteOthers(dir);
                    record(classPath, cache, failed);
                }
                if (!Files.exists(cache)) {
                    System.err.println("e2e: no start-up cache, daemons start without one (see " + failed + ")");
                    return plain;
                }
                return List.of("-cp", classPath, "-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off");
            }
        } catch (IOException e) {
            System.err.println("e2e: no start-up cache, daemons start without one: " + e);
            return plain;
        }
    }

    /** {@code taskd startup-training} in a JVM that writes the cache as it exits. */
    private static void record(String classPath, Path cache, Path failed) throws IOException {
        Files.createDirectories(cache.getParent());
        Path log = cache.resolveSibling("training.log");
        Path tmp = cache.resolveSibling("daemon.aot.tmp");
        List<String> command = new ArrayList<>(Cli.jvm());
        command.addAll(List.of("-XX:AOTCacheOutput=" + tmp, "-cp", classPath, Main.class.getName(), "startup-training"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = process.waitFor(5, TimeUnit.MINUTES);
            if (exited && process.exitValue() == 0 && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.move(log, failed, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The class path with every directory replaced by a jar of it in {@code dir} (made once). */
    private static String jarClassPath(List<Path> entries, Path dir) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path entry = entries.get(i);
            if (!Files.isDirectory(entry)) {
                classPath.add(entry.toString());
                continue;
            }
            Path jar = dir.resolve(i + ".jar");
            if (!Files.exists(jar)) {
                Files.createDirectories(dir);
                Path tmp = dir.resolve(jar.getFileName() + ".tmp");
                writeJar(entry, tmp);
                Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
            }
            classPath.add(jar.toString());
        }
        return String.join(java.io.File.pathSeparator, classPath);
    }

    private static void writeJar(Path directory, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.equals(directory)) {
                    continue;
                }
                String name = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                boolean folder = Files.isDirectory(file);
                zip.putNextEntry(new JarEntry(folder ? name + "/" : name));
                if (!folder) {
                    Files.copy(file, zip);
                }
                zip.closeEntry();
            }
        }
    }

    /** A digest of every class path entry's name, and of each file's path, size and time under it. */
    private static String digest(List<Path> entries) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
        for (Path entry : entries) {
            if (!Files.exists(entry)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    FileTime time = Files.getLastModifiedTime(file);
                    digest.update((file + "\0" + Files.size(file) + "\0" + time.toMillis() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /** Caches of earlier builds: each is tens of megabytes. */
    private static void deleteOthers(Path keep) throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory).filter(d -> !d.equals(keep))::iterator) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> {
                        try {
                            Files.delete(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
    }
}
