package dev.taskd.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real daemon under test: {@code ./taskd start} in its own JVM on a free loopback port, in
 * a directory of its own (config, loop types, templates, data), exactly as a user starts it.
 * Closing it stops it with SIGTERM (killing it if the drain does not end) and deletes the directory.
 */
final class BenchDaemon implements AutoCloseable {

    final Path home;
    final int port;
    final DaemonHttp http;
    private final Bench bench;
    private final String name;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    /**
     * @param extraToml   tables added to taskd.toml (anything but [daemon], [loops], [templates])
     * @param environment extra environment for {@code ./taskd start}, e.g. TASKD_STARTUP_CACHE
     */
    BenchDaemon(Bench bench, String name, String extraToml, Map<String, String> environment) throws IOException {
        this.bench = bench;
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.home = bench.workDir(name);
        this.port = freePort();
        this.http = new DaemonHttp(port);
        Files.createDirectories(home.resolve("loop-types"));
        Files.createDirectories(home.resolve("templates"));
        file("taskd.toml", """
                [daemon]
                listen = "127.0.0.1:%d"
                data-dir = "data"

                [loops]
                paths = ["loop-types"]

                [templates]
                paths = ["templates"]

                %s
                """.formatted(port, extraToml));
    }

    BenchDaemon(Bench bench, String name, String extraToml) throws IOException {
        this(bench, name, extraToml, Map.of());
    }

    /** Writes a file under the daemon's directory, e.g. {@code loop-types/x.toml}. */
    BenchDaemon file(String relative, String content) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    /** Starts the daemon; returns the milliseconds from spawning {@code ./taskd start} to ready. */
    double start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(bench.root().resolve("taskd").toString(), "start",
                "--config", home.resolve("taskd.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("daemon.log").toFile()));
        builder.environment().putAll(environment);
        if (bench.jfr() != null) {
            Path recording = bench.jfr().resolve(name + "-" + starts + ".jfr");
            builder.environment().merge("TASKD_JAVA_OPTS",
                    "-XX:StartFlightRecording=filename=" + recording + ",settings=profile", (a, b) -> a + " " + b);
        }
        starts++;
        long spawned = System.nanoTime();
        process = builder.start();
        long deadline = spawned + Duration.ofSeconds(120).toNanos();
        while (!http.ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + process.exitValue() + "; its log:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon was not ready after 120 s; its log:\n" + log());
            }
            Bench.sleep(Duration.ofMillis(5));
        }
        return (System.nanoTime() - spawned) / 1e6;
    }

    /** The extra environment this daemon's commands run with. */
    Map<String, String> environment() {
        return environment;
    }

    long pid() {
        return process.pid();
    }

    /** Java heap in use after a full GC, in MiB (jcmd GC.run, then GC.heap_info). */
    double heapAfterGcMiB() throws IOException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        var matcher = java.util.regex.Pattern.compile("heap.*?used (\\d+)K").matcher(info);
        if (!matcher.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap usage:\n" + info);
        }
        return Long.parseLong(matcher.group(1)) / 1024.0;
    }

    /** Platform (OS) threads of the daemon process; virtual threads are not among them. */
    int threads() throws IOException {
        return (int) procStatus("Threads:");
    }

    /** Resident set size in MiB. */
    double rssMiB() throws IOException {
        return procStatus("VmRSS:") / 1024.0;
    }

    int openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** CPU time (user + system) the daemon has used so far, in seconds. */
    double cpuSeconds() throws IOException {
        return cpuSecondsOf(pid());
    }

    /** CPU time (user + system) process {@code pid} has used so far, in seconds. */
    static double cpuSecondsOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which may hold spaces) start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / (double) ClockTicks.PER_SECOND;
    }

    /** The daemon's log so far (JSON lines). */
    String log() {
        try {
            return Files.readString(home.resolve("daemon.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM and wait for the drain; kill after {@code patience}. */
    void stop(Duration patience) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(Duration.ofSeconds(30));
        deleteTree(home);
    }

    private String jcmd(String command) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for jcmd " + command, e);
        }
        return output;
    }

    private long procStatus(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/PID/status has no " + key);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** USER_HZ, the unit of /proc/PID/stat times: `getconf CLK_TCK`, 100 on every common Linux. */
    private static final class ClockTicks {
        static final long PER_SECOND = read();

        private static long read() {
            try {
                Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
                String out = new String(getconf.getInputStream().readAllBytes()).strip();
                getconf.waitFor(10, TimeUnit.SECONDS);
                return Long.parseLong(out);
            } catch (IOException | NumberFormatException e) {
                return 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 100;
            }
        }
    }
}
