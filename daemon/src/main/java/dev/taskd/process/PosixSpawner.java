package dev.taskd.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts commands with {@code posix_spawn}: glibc's vfork-like clone and one {@code execve} of
 * {@code /bin/sh}, where the JDK's launcher execs {@code jspawnhelper} first. The child gets a
 * new session ({@code POSIX_SPAWN_SETSID}), default signal dispositions and an empty signal mask
 * (a daemon started with SIGINT ignored must not pass that on), only fds 0–2 (every other
 * descriptor of the daemon — its listening socket, the store — is closed), and the work dir.
 *
 * <p>The pipes are read through {@code /proc/self/fd}, which opens the same pipe as a
 * {@code FileInputStream} the JDK can block on as it does for its own processes.
 */
final class PosixSpawner implements Spawner {

    private final Libc libc;
    private final Cgroups cgroups;
    private final ExecutorService reapers;

    PosixSpawner(Libc libc, Cgroups cgroups) {
        this.libc = libc;
        this.cgroups = cgroups;
        this.reapers = Executors.newCachedThreadPool(dev.taskd.loop.Threads.platformDaemonFactory("reaper"));
    }

    @Override
    public Child spawn(String commandLine, Path workdir, Map<String, String> environment, boolean withStdin)
            throws IOException {
        Path cgroup = cgroups == null ? null : cgroups.create();
        String script = cgroup == null ? commandLine : Cgroups.enter(cgroup, commandLine);
        try {
            return start(List.of("/bin/sh", "-c", script), workdir, environment, withStdin, cgroup);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                Cgroups.remove(cgroup);
            }
            throw e;
        }
    }

    private Child start(List<String> argv, Path workdir, Map<String, String> environment, boolean withStdin,
                        Path cgroup) throws IOException {
        try {
            return startOrThrow(argv, workdir, environment, withStdin, cgroup);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("posix_spawn: " + e, e);
        }
    }

    /** Method handles throw Throwable; {@link #start} narrows it. */
    private Child startOrThrow(List<String> argv, Path workdir, Map<String, String> environment, boolean withStdin,
                               Path cgroup) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            Pipe out = pipe(arena);
            Pipe err = pipe(arena);
            Pipe in = withStdin ? pipe(arena) : null;
            MemorySegment actions = arena.allocate(Libc.FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(Libc.SPAWN_ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) libc.fileActionsInit.invokeExact(actions));
            check("posix_spawnattr_init", (int) libc.attrInit.invokeExact(attr));
            FileInputStream stdout = null;
            FileInputStream stderr = null;
            FileOutputStream stdin = null;
            try {
                if (in != null) {
                    check("adddup2", (int) libc.addDup2.invokeExact(actions, in.read, 0));
                } else {
                    check("addopen", (int) libc.addOpen.invokeExact(actions, 0, arena.allocateFrom("/dev/null"),
                            Libc.O_RDONLY, 0));
                }
                check("adddup2", (int) libc.addDup2.invokeExact(actions, out.write, 1));
                check("adddup2", (int) libc.addDup2.invokeExact(actions, err.write, 2));
                check("addchdir_np", (int) libc.addChdir.invokeExact(actions,
                        arena.allocateFrom(workdir.toString())));
                check("addclosefrom_np", (int) libc.addCloseFrom.invokeExact(actions, 3));
                MemorySegment set = arena.allocate(Libc.SIGSET_SIZE, 8);
                check("sigemptyset", (int) libc.sigEmptySet.invokeExact(set));
                check("setsigmask", (int) libc.attrSetSigMask.invokeExact(attr, set));
                MemorySegment all = arena.allocate(Libc.SIGSET_SIZE, 8);
                check("sigfillset", (int) libc.sigFillSet.invokeExact(all));
                check("setsigdefault", (int) libc.attrSetSigDefault.invokeExact(attr, all));
                check("setflags", (int) libc.attrSetFlags.invokeExact(attr, (short) (Libc.POSIX_SPAWN_SETSID
                        | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF)));
                stdout = new FileInputStream("/proc/self/fd/" + out.read);
                stderr = new FileInputStream("/proc/self/fd/" + err.read);
                stdin = in == null ? null : new FileOutputStream("/proc/self/fd/" + in.write);
                MemorySegment pid = arena.allocate(JAVA_INT);
                int failed = (int) libc.posixSpawn.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr,
                        strings(arena, argv), strings(arena, environment(environment)));
                if (failed != 0) {
                    throw new IOException("cannot start " + argv.getFirst() + " in " + workdir + ": "
                            + Errno.describe(failed));
                }
                int child = pid.get(JAVA_INT, 0);
                return new PosixChild(libc, child, ProcStat.startTime(child), cgroup, stdout, stderr, stdin, reapers);
            } catch (Throwable e) {
                closeAll(e, stdout, stderr, stdin);
                throw e;
            } finally {
                // The child has its copies; the daemon keeps only the streams opened above.
                closeFds(out, err, in);
                destroy(actions, attr);
            }
        }
    }

    @Override
    public boolean killStale(long pid, long startTime, String cgroup) {
        boolean found = false;
        if (cgroup != null && java.nio.file.Files.isDirectory(Path.of(cgroup))) {
            found = Cgroups.populated(Path.of(cgroup));
            Cgroups.remove(Path.of(cgroup));
        }
        if (pid > 0 && startTime > 0 && ProcStat.startTime(pid) == startTime) {
            found = true;
            PosixChild.killGroup(libc, (int) pid);
        }
        return found;
    }

    @Override
    public String describe() {
        return cgroups == null ? "posix_spawn, a session and process group per command"
                : "posix_spawn, a session, process group and cgroup per command";
    }

    private record Pipe(int read, int write) {
    }

    private Pipe pipe(Arena arena) throws IOException {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        MemorySegment errno = Libc.errnoState(arena);
        int result;
        try {
            result = (int) libc.pipe2.invokeExact(errno, fds, Libc.O_CLOEXEC);
        } catch (Throwable e) {
            throw new IllegalStateException("pipe2: " + e, e);
        }
        if (result != 0) {
            throw new IOException("cannot create a pipe for a command: " + Errno.describe(Libc.errno(errno))
                    + " (too many open files? raise the daemon's file limit)");
        }
        return new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
    }

    private void closeFds(Pipe... pipes) {
        for (Pipe pipe : pipes) {
            if (pipe != null) {
                closeFd(pipe.read);
                closeFd(pipe.write);
            }
        }
    }

    private void closeFd(int fd) {
        try {
            int ignored = (int) libc.close.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close: " + e, e);
        }
    }

    private void destroy(MemorySegment actions, MemorySegment attr) {
        try {
            int a = (int) libc.fileActionsDestroy.invokeExact(actions);
            int b = (int) libc.attrDestroy.invokeExact(attr);
        } catch (Throwable e) {
            throw new IllegalStateException("posix_spawn clean-up: " + e, e);
        }
    }

    private static void check(String call, int result) throws IOException {
        if (result != 0) {
            throw new IOException("cannot prepare a command's start: " + call + ": " + Errno.describe(result));
        }
    }

    private static List<String> environment(Map<String, String> extra) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(extra);
        List<String> entries = new ArrayList<>(merged.size());
        merged.forEach((key, value) -> entries.add(key + "=" + value));
        return entries;
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void closeAll(Throwable failure, java.io.Closeable... streams) {
        for (java.io.Closeable stream : streams) {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
