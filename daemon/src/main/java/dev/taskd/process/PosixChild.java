package dev.taskd.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command started by {@link PosixSpawner}: the leader of its own process group. Its
 * {@link ChildIo} thread notices the leader's exit without reaping it, kills what is left of its
 * group (and cgroup) — a command's processes end with it — and only then reaps it: while the
 * leader is an unreaped zombie its pid, and so its group id, cannot be given to another process,
 * so no kill here ever reaches a stranger.
 */
final class PosixChild implements Child {

    private final Libc libc;
    private final int pid;
    private final long startTime;
    private final Path cgroup;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private int exitCode = -1; // guarded by this
    private boolean reaped; // guarded by this
    private Throwable failure; // guarded by this

    PosixChild(Libc libc, int pid, long startTime, Path cgroup) {
        this.libc = libc;
        this.pid = pid;
        this.startTime = startTime;
        this.cgroup = cgroup;
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

    synchronized boolean reaped() {
        return reaped;
    }

    /**
     * Once the leader exited (a zombie until this reaps it; when {@link ChildIo} failed, this
     * first waits for the exit, outside the lock so that {@link #kill} is not held up): kills its
     * group, reaps it and removes its cgroup.
     */
    void reap() {
        if (reaped()) {
            return; // and never wait on the pid again: it may be another command's by now
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoState(arena);
            MemorySegment info = arena.allocate(Libc.SIGINFO_SIZE, 8);
            int result;
            do {
                result = (int) libc.waitid.invokeExact(errno, Libc.P_PID, pid, info, Libc.WEXITED | Libc.WNOWAIT);
            } while (result != 0 && Libc.errno(errno) == Libc.EINTR);
            synchronized (this) {
                if (reaped) {
                    return;
                }
                killGroup(libc, pid);
                MemorySegment status = arena.allocate(JAVA_INT);
                do {
                    result = (int) libc.waitpid.invokeExact(errno, pid, status, 0);
                } while (result < 0 && Libc.errno(errno) == Libc.EINTR);
                reaped = true;
                exitCode = result < 0 ? -1 : exitCode(status.get(JAVA_INT, 0));
            }
        } catch (Throwable e) {
            synchronized (this) {
                reaped = true; // nothing more can be done for it; never signal the pid again
            }
            failed(e);
        }
        if (cgroup != null) {
            Cgroups.remove(cgroup);
        }
    }

    /** {@link ChildIo} broke; the command is still reaped, and waiting for it fails with this. */
    synchronized void failed(Throwable e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    /** Called last by {@link ChildIo}: the output was read to its end (or given up on). */
    void outputEnded() {
        reap();
        synchronized (this) {
            if (failure != null) {
                exit.completeExceptionally(failure);
            } else {
                exit.complete(exitCode);
            }
        }
    }

    /** As a shell reports it: the exit status, or 128 + the signal that killed it. */
    private static int exitCode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
