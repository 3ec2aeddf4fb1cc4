package dev.taskd.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A cgroup v2 per command, inside the cgroup delegated to the daemon (systemd {@code Delegate=yes}).
 * {@code cgroup.kill} kills every process in a cgroup at once, whatever it did to escape: double
 * forks and {@code setsid} included, which a process group does not catch. No controller is
 * enabled, so the daemon may stay in its own cgroup beside the commands' ones.
 *
 * <p>The command moves itself in: its shell writes to {@code cgroup.procs} before it runs the
 * command line, so nothing it starts can be outside (writing after the spawn would race with
 * its first fork). Thread-safe.
 */
final class Cgroups {

    private final Path own;
    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    /** Commands in cgroups under {@code own}; {@link #detect} finds the daemon's own, tests give one. */
    Cgroups(Path own) {
        this.own = own;
        this.prefix = "taskd-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    }

    /**
     * The daemon's cgroup when it was delegated to it: a cgroup v2 directory other than the root,
     * writable, with {@code cgroup.subtree_control}, on a kernel with {@code cgroup.kill} (5.14).
     * Empty otherwise; {@code why} is told why not.
     */
    static Optional<Cgroups> detect(Consumer<String> why) {
        try {
            Optional<Path> mount = cgroup2Mount();
            Optional<String> path = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                    .filter(line -> line.startsWith("0::")).map(line -> line.substring(3)).findFirst();
            if (mount.isEmpty() || path.isEmpty()) {
                why.accept("no cgroup v2 hierarchy");
                return Optional.empty();
            }
            if (path.get().equals("/")) {
                why.accept("the daemon runs in the root cgroup, which is not delegated to it");
                return Optional.empty();
            }
            Path own = mount.get().resolve(path.get().substring(1));
            if (!Files.isWritable(own) || !Files.exists(own.resolve("cgroup.subtree_control"))
                    || !Files.exists(own.resolve("cgroup.kill"))) {
                why.accept(own + " is not delegated to the daemon (not writable, or no cgroup.kill)");
                return Optional.empty();
            }
            return Optional.of(new Cgroups(own));
        } catch (IOException | RuntimeException e) {
            why.accept("cannot read the daemon's cgroup: " + e);
            return Optional.empty();
        }
    }

    private static Optional<Path> cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int dash = line.indexOf(" - ");
            if (dash > 0 && line.substring(dash + 3).startsWith("cgroup2 ")) {
                return Optional.of(Path.of(line.split(" ")[4]));
            }
        }
        return Optional.empty();
    }

    /** Makes a new, empty cgroup for one command. */
    Path create() throws IOException {
        return Files.createDirectory(own.resolve(prefix + next.incrementAndGet()));
    }

    /** The command line run so that its shell first moves itself into {@code cgroup}. */
    static String enter(Path cgroup, String commandLine) {
        String procs = cgroup.resolve("cgroup.procs").toString().replace("'", "'\\''");
        return "echo 0 >'" + procs + "' || exit 125\n" + commandLine;
    }

    /** Kills every process in {@code cgroup}; false when it is gone already. */
    static boolean kill(Path cgroup) {
        try {
            Files.writeString(cgroup.resolve("cgroup.kill"), "1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Kills what is left in {@code cgroup} and removes it, waiting up to a second for the
     * killed processes to go (the kernel refuses to remove a populated cgroup).
     */
    static void remove(Path cgroup) {
        if (!kill(cgroup)) {
            return;
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Files.delete(cgroup);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                sleepBriefly();
            }
        }
    }

    /** Whether any process is in {@code cgroup} (its {@code cgroup.events} says {@code populated 1}). */
    static boolean populated(Path cgroup) {
        try {
            List<String> events = Files.readAllLines(cgroup.resolve("cgroup.events"));
            return events.contains("populated 1");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
