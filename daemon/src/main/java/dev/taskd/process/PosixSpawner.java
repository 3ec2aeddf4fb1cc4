package dev.taskd.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.taskd.concurrent.Threads;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Each command then has one platform thread, its {@link ChildIo}, which reads its pipes and
 * waits for its exit; the daemon's environment is turned into C strings once, as it never
 * changes while the JVM runs.
 */
final class PosixSpawner implements Spawner {

    private final Libc libc;
    private final Cgroups cgroups;
    private final ExecutorService io;
    private final Map<String, MemorySegment> baseEnvironment;

    PosixSpawner(Libc libc, Cgroups cgroups) {
        this.libc = libc;
        this.cgroups = cgroups;
        this.io = Executors.newCachedThreadPool(Threads.platformDaemonFactory("command-io"));
        Arena arena = Arena.ofAuto(); // kept as long as this spawner, which holds the segments
        Map<String, MemorySegment> base = new HashMap<>();
        System.getenv().forEach((key, value) -> {
            if (!NOT_INHERITED.contains(key)) {
                base.put(key, arena.allocateFrom(key + "=" + value));
            }
        });
        this.baseEnvironment = Map.copyOf(base);
    }

    @Override
    public Child spawn(String commandLine, Path workdir, Map<String, String> environment, byte[] stdin,
                       Child.Output output) throws IOException {
        Path cgroup = cgroups == null ? null : cgroups.create();
        String script = cgroup == null ? commandLine : Cgroups.enter(cgroup, commandLine);
        try {
            return start(List.of("/bin/sh", "-c", script), workdir, environment, stdin, output, cgroup);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                Cgroups.remove(cgroup);
            }
            throw e;
        }
    }

    private Child start(List<String> argv, Path workdir, Map<String, String> environment, byte[] stdin,
                        Child.Output output, Path cgroup) throws IOException {
        try {
            return startOrThrow(argv, workdir, environment, stdin, output, cgroup);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("posix_spawn: " + e, e);
        }
    }

    /** Method handles throw Throwable; {@link #start} narrows it. */
    private Child startOrThrow(List<String> argv, Path workdir, Map<String, String> environment, byte[] stdin,
                               Child.Output output, Path cgroup) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            Pipe out = null;
            Pipe err = null;
            Pipe in = null;
            MemorySegment actions = arena.allocate(Libc.FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(Libc.SPAWN_ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) libc.fileActionsInit.invokeExact(actions));
            check("posix_spawnattr_init", (int) libc.attrInit.invokeExact(attr));
            boolean started = false;
            try {
                out = pipe(arena);
                err = pipe(arena);
                in = stdin.length > 0 ? pipe(arena) : null;
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
                MemorySegment pid = arena.allocate(JAVA_INT);
                int failed = (int) libc.posixSpawn.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr,
                        strings(arena, argv), environment(arena, environment));
                if (failed != 0) {
                    throw new IOException("cannot start " + argv.getFirst() + " in " + workdir + ": "
                            + Errno.describe(failed));
                }
                int child = pid.get(JAVA_INT, 0);
                PosixChild command = new PosixChild(libc, child, ProcStat.startTime(child), cgroup);
                io.execute(new ChildIo(libc, command, output, out.read, err.read, in == null ? -1 : in.write, stdin,
                        pidfd(arena, child)));
                started = true; // from here ChildIo owns the daemon's ends of the pipes
                return command;
            } finally {
                // The child has its copies of its ends; the daemon keeps its own, for ChildIo.
                closeFds(started, out, err, in);
                destroy(actions, attr);
            }
        }
    }

    /** A descriptor that becomes readable when {@code pid} exits; -1 where there is none. */
    private int pidfd(Arena arena, int pid) throws Throwable {
        if (libc.pidfdOpen == null) {
            return -1;
        }
        int fd = (int) libc.pidfdOpen.invokeExact(Libc.errnoState(arena), pid, 0);
        return fd < 0 ? -1 : fd; // ENOSYS before Linux 5.3: ChildIo polls for the exit instead
    }

    @Override
    public boolean killStale(long pid, long startTime, String cgroup) {
        boolean found = false;
        if (cgroup != null && Files.isDirectory(Path.of(cgroup))) {
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

    /** Closes the child's ends of the pipes, and the daemon's too unless the command started. */
    private void closeFds(boolean started, Pipe out, Pipe err, Pipe in) {
        for (Pipe pipe : new Pipe[] {out, err, in}) {
            if (pipe != null) {
                closeFd(libc, pipe == in ? pipe.read : pipe.write);
                if (!started) {
                    closeFd(libc, pipe == in ? pipe.write : pipe.read);
                }
            }
        }
    }

    static void closeFd(Libc libc, int fd) {
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

    /** The daemon's environment with {@code extra} added (replacing what it names), as C's envp. */
    private MemorySegment environment(Arena arena, Map<String, String> extra) {
        MemorySegment array = arena.allocate(ADDRESS, baseEnvironment.size() + extra.size() + 1L);
        int at = 0;
        for (Map.Entry<String, MemorySegment> entry : baseEnvironment.entrySet()) {
            if (!extra.containsKey(entry.getKey())) {
                array.setAtIndex(ADDRESS, at++, entry.getValue());
            }
        }
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            array.setAtIndex(ADDRESS, at++, arena.allocateFrom(entry.getKey() + "=" + entry.getValue()));
        }
        array.setAtIndex(ADDRESS, at, MemorySegment.NULL);
        return array;
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
}
