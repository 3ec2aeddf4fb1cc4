package dev.taskd.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one thread of a running {@link PosixChild}, where a reaper and a pump per stream were three:
 * it {@code poll}s the command's stdout and stderr pipes, its stdin pipe while input is left to
 * write, and a pidfd that becomes readable when the leader exits. Output goes to the
 * {@link Child.Output} as it is read, so the command never blocks on a full pipe. When the leader
 * exits the group is killed and the leader reaped ({@link PosixChild#reap}); the pipes are then
 * read to their end, or for one more second when a process that escaped the group holds them.
 *
 * <p>Without {@code pidfd_open} the leader's exit is polled for every 10 ms with
 * {@code waitid(WNOHANG | WNOWAIT)}, which leaves it unreaped just the same.
 */
final class ChildIo implements Runnable {

    private static final int CHUNK = 16 * 1024;
    private static final int STDIN_CHUNK = 4096; // PIPE_BUF: fits whenever poll says writable
    private static final long GRACE_NANOS = 1_000_000_000L;
    private static final int EXIT_POLL_MILLIS = 10;
    private static final int OUT = 0;
    private static final int ERR = 1;
    private static final int IN = 2;
    private static final int EXIT = 3;
    private static final long POLLFD = 8; // struct pollfd: int fd; short events; short revents

    private final Libc libc;
    private final PosixChild child;
    private final Child.Output output;
    private final int[] fds;
    private final byte[] stdin;
    private int written;

    /** {@code pidfd} is -1 where there is none; {@code stdinFd} -1 for {@code /dev/null}. */
    ChildIo(Libc libc, PosixChild child, Child.Output output, int stdoutFd, int stderrFd, int stdinFd,
            byte[] stdin, int pidfd) {
        this.libc = libc;
        this.child = child;
        this.output = output;
        this.fds = new int[] {stdoutFd, stderrFd, stdinFd, pidfd};
        this.stdin = stdin;
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            loop(arena);
        } catch (Throwable e) {
            child.failed(e);
        } finally {
            for (int slot = 0; slot < fds.length; slot++) {
                close(slot);
            }
            child.outputEnded();
        }
    }

    private void loop(Arena arena) throws Throwable {
        MemorySegment polled = arena.allocate(POLLFD * fds.length, 8);
        MemorySegment errno = Libc.errnoState(arena);
        MemorySegment buffer = arena.allocate(CHUNK);
        MemorySegment info = arena.allocate(Libc.SIGINFO_SIZE, 8);
        byte[] bytes = new byte[CHUNK];
        long giveUpAt = 0;
        while (fds[OUT] >= 0 || fds[ERR] >= 0 || !child.reaped()) {
            int timeout = -1;
            if (child.reaped()) {
                timeout = (int) Math.max(0, (giveUpAt - System.nanoTime()) / 1_000_000);
                if (timeout == 0) {
                    return; // an escaped process holds the pipes: its output is not waited for
                }
            } else if (fds[EXIT] < 0) {
                timeout = EXIT_POLL_MILLIS;
            }
            for (int slot = 0; slot < fds.length; slot++) {
                polled.set(JAVA_INT, slot * POLLFD, fds[slot]);
                polled.set(JAVA_SHORT, slot * POLLFD + 4, slot == IN ? Libc.POLLOUT : Libc.POLLIN);
                polled.set(JAVA_SHORT, slot * POLLFD + 6, (short) 0);
            }
            int ready = (int) libc.poll.invokeExact(errno, polled, (long) fds.length, timeout);
            if (ready < 0 && Libc.errno(errno) != Libc.EINTR) {
                throw new IllegalStateException("poll on the pipes of pid " + child.pid() + ": "
                        + Errno.describe(Libc.errno(errno)));
            }
            for (int stream : new int[] {OUT, ERR}) {
                if (ready > 0 && polled.get(JAVA_SHORT, stream * POLLFD + 6) != 0) {
                    drain(stream, buffer, bytes, errno);
                }
            }
            if (ready > 0 && polled.get(JAVA_SHORT, IN * POLLFD + 6) != 0) {
                feed(buffer, errno);
            }
            boolean exited = !child.reaped() && (fds[EXIT] >= 0
                    ? ready > 0 && polled.get(JAVA_SHORT, EXIT * POLLFD + 6) != 0
                    : exitedUnreaped(info, errno));
            if (exited) {
                close(EXIT);
                close(IN); // nobody in the group is left to read it
                child.reap();
                giveUpAt = System.nanoTime() + GRACE_NANOS;
            }
        }
    }

    /** Reads what the pipe holds now; at its end, closes it. */
    private void drain(int stream, MemorySegment buffer, byte[] bytes, MemorySegment errno) throws Throwable {
        long read = (long) libc.read.invokeExact(errno, fds[stream], buffer, (long) CHUNK);
        if (read > 0) {
            MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, 0, (int) read);
            output.write(stream == OUT ? Child.STDOUT : Child.STDERR, bytes, 0, (int) read);
        } else if (read == 0 || Libc.errno(errno) != Libc.EINTR) {
            close(stream);
        }
    }

    /** Writes the next chunk of stdin; closes the pipe when all is written or nobody reads it. */
    private void feed(MemorySegment buffer, MemorySegment errno) throws Throwable {
        int length = Math.min(STDIN_CHUNK, stdin.length - written);
        MemorySegment.copy(stdin, written, buffer, JAVA_BYTE, 0, length);
        long wrote = (long) libc.write.invokeExact(errno, fds[IN], buffer, (long) length);
        if (wrote > 0) {
            written += (int) wrote;
        }
        if (written >= stdin.length || wrote < 0 && Libc.errno(errno) != Libc.EINTR && Libc.errno(errno) != Libc.EAGAIN) {
            close(IN); // all written, or the command does not read its input (EPIPE)
        }
    }

    /** Without a pidfd: whether the leader exited, leaving it a zombie. */
    private boolean exitedUnreaped(MemorySegment info, MemorySegment errno) throws Throwable {
        info.fill((byte) 0);
        int result = (int) libc.waitid.invokeExact(errno, Libc.P_PID, (int) child.pid(), info,
                Libc.WEXITED | Libc.WNOHANG | Libc.WNOWAIT);
        return result == 0 && info.get(JAVA_INT, 0) != 0; // si_signo is set once it exited
    }

    private void close(int slot) {
        if (fds[slot] >= 0) {
            PosixSpawner.closeFd(libc, fds[slot]);
            fds[slot] = -1;
        }
    }
}
