package dev.taskd.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command started by {@link PosixSpawner}: the leader of its own process group. A reaper
 * thread waits for it to exit without reaping it ({@code WNOWAIT}), kills what is left of its
 * group (and cgroup) — a command's processes end with it — and only then reaps it: while the
 * leader is an unreaped zombie its pid, and so its group id, cannot be given to another process,
 * so no kill here ever reaches a stranger.
 */
final class PosixChild implements Child {

    private final Libc libc;
    private final int pid;
    private final long startTime;
    private final Path cgroup;
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    PosixChild(Libc libc, int pid, long startTime, Path cgroup, InputStream stdout, InputStream stderr,
               OutputStream stdin, ExecutorService reapers) {
        this.libc = libc;
        this.pid = pid;
        this.startTime = startTime;
        this.cgroup = cgroup;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
        reapers.execute(this::reap);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long startTime() {
        return startTime;
    }

    @Override
    public String cgroup() {
        return cgroup == null ? null : cgroup.toString();
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
        try {
            exit.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + pid + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public int exitCode() {
        return exit.getNow(-1);
    }

    @Override
    public void kill() {
        if (cgroup != null) {
            Cgroups.kill(cgroup);
        }
        // Descendants that left the group (setsid) are found through their parents, before the
        // group's death re-parents them to init.
        List<ProcessHandle> escaped = ProcessHandle.of(pid).map(handle -> handle.descendants().toList())
                .orElse(List.of());
        synchronized (this) {
            if (!reaped) {
                killGroup(libc, pid);
            }
        }
        escaped.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL to every process in group {@code pgid}; a group that is gone already is fine. */
    static void killGroup(Libc libc, int pgid) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) libc.kill.invokeExact(Libc.errnoState(arena), -pgid, Libc.SIGKILL);
        } catch (Throwable e) {
            throw new IllegalStateException("kill -" + pgid + ": " + e, e);
        }
    }

    private void reap() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoState(arena);
            MemorySegment info = arena.allocate(Libc.SIGINFO_SIZE, 8);
            int result;
            do {
                result = (int) libc.waitid.invokeExact(errno, Libc.P_PID, pid, info, Libc.WEXITED | Libc.WNOWAIT);
            } while (result != 0 && Libc.errno(errno) == Libc.EINTR);
            int status;
            synchronized (this) {
                killGroup(libc, pid);
                MemorySegment statusOut = arena.allocate(JAVA_INT);
                do {
                    result = (int) libc.waitpid.invokeExact(errno, pid, statusOut, 0);
                } while (result < 0 && Libc.errno(errno) == Libc.EINTR);
                reaped = true;
                status = statusOut.get(JAVA_INT, 0);
            }
            if (cgroup != null) {
                Cgroups.remove(cgroup);
            }
            exit.complete(result < 0 ? -1 : exitCode(status));
        } catch (Throwable e) {
            exit.completeExceptionally(e);
        }
    }

    /** As a shell reports it: the exit status, or 128 + the signal that killed it. */
    private static int exitCode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
