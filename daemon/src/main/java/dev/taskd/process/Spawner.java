package dev.taskd.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Starts commands with {@code /bin/sh -c}, each in a session and process group of its own, so
 * that signals meant for the daemon (a terminal's Ctrl+C, {@code kill -TERM -PGID}, systemd)
 * never reach them, and each can be killed whole. Thread-safe.
 */
public interface Spawner {

    /**
     * The daemon's variables its commands do not get: systemd's notify socket is the daemon's
     * alone (a command writing to it could tell systemd the service is ready or stopping).
     */
    Set<String> NOT_INHERITED = Set.of("NOTIFY_SOCKET");

    /**
     * Starts {@code /bin/sh -c commandLine} in {@code workdir} with the daemon's environment plus
     * {@code environment}; its standard input is a pipe fed {@code stdin} and then closed, or
     * {@code /dev/null} when {@code stdin} is empty. What it prints goes to {@code output}.
     *
     * @throws IOException naming the command's directory and why it could not start
     */
    Child spawn(String commandLine, Path workdir, Map<String, String> environment, byte[] stdin,
                Child.Output output) throws IOException;

    /**
     * Kills what a previous daemon recorded as a running command: the process group {@code pid}
     * when its leader still has {@code startTime} (never a recycled pid), and the cgroup when one
     * was recorded. Returns whether anything was found alive.
     */
    boolean killStale(long pid, long startTime, String cgroup);

    /** How commands are started and contained, for the log. */
    String describe();

    /**
     * {@code posix_spawn} with {@code POSIX_SPAWN_SETSID} (one {@code execve}, like a shell) and
     * a cgroup per command when the daemon's cgroup is delegated; where the C library lacks it,
     * the JDK's launcher, whose commands share the daemon's process group. {@code notes} is told
     * what was not available and why.
     */
    static Spawner best(Consumer<String> notes) {
        return Libc.load(why -> notes.accept("posix_spawn through FFM unavailable (" + why
                        + "); commands start through the JDK and share the daemon's process group"))
                .<Spawner>map(libc -> new PosixSpawner(libc, Cgroups.detect(
                        why -> notes.accept("no cgroup per command: " + why)).orElse(null)))
                .orElseGet(JdkSpawner::new);
    }
}
