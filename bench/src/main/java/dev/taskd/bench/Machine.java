package dev.taskd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on: they mean little without it. */
record Machine(int cores, String cpu, long memoryMiB, String os, String benchJvm, String daemonJvm,
               String taskdVersion) {

    static Machine describe(Path root) {
        String[] version = taskdVersion(root);
        return new Machine(Runtime.getRuntime().availableProcessors(),
                procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
                procLine("/proc/meminfo", "MemTotal").map(Machine::kibToMib).orElse(-1L),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "Java " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.vendor") + ")",
                version[1], version[0]);
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", cores);
        map.put("cpu", cpu);
        map.put("memory_mib", memoryMiB);
        map.put("os", os);
        map.put("bench_jvm", benchJvm);
        map.put("daemon_jvm", daemonJvm);
        map.put("taskd", taskdVersion);
        return map;
    }

    String oneLine() {
        return "%d cores (%s), %d MiB, %s; daemon on %s".formatted(cores, cpu, memoryMiB, os, daemonJvm);
    }

    /** {@code ./taskd --version} prints "taskd X" then "JVM Y (vendor)": the daemon's JDK, chosen by the launcher. */
    private static String[] taskdVersion(Path root) {
        try {
            Process process = new ProcessBuilder(root.resolve("taskd").toString(), "--version")
                    .redirectErrorStream(true).start();
            String[] lines = new String(process.getInputStream().readAllBytes()).strip().split("\n");
            process.waitFor(60, TimeUnit.SECONDS);
            return new String[] {lines[0].strip(), lines.length > 1 ? lines[lines.length - 1].strip() : "unknown"};
        } catch (IOException e) {
            return new String[] {"unknown", "unknown (" + e.getMessage() + ")"};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new String[] {"unknown", "unknown"};
        }
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long kibToMib(String memTotal) {
        return Long.parseLong(memTotal.replaceAll("[^0-9]", "")) / 1024;
    }
}
