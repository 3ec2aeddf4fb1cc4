package dev.taskd.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The C library functions taskd calls through the FFM API: {@code posix_spawn} and its
 * attributes, pipes, {@code poll}/{@code read}/{@code write}, {@code waitid}/{@code waitpid} and
 * {@code kill}. Linux with glibc 2.34 or newer has all of them
 * ({@code posix_spawn_file_actions_addclosefrom_np} is the newest); elsewhere {@link #load}
 * answers empty and the JDK's own launcher is used instead. {@code pidfd_open} (glibc 2.36,
 * Linux 5.3) is optional: without it a command's exit is polled for ({@link ChildIo}).
 *
 * <p>The sizes below are glibc's on 64-bit Linux, rounded up: the structures are only ever
 * handed to glibc, never read here.
 */
final class Libc {

    static final long FILE_ACTIONS_SIZE = 256;   // posix_spawn_file_actions_t: 80
    static final long SPAWN_ATTR_SIZE = 512;     // posix_spawnattr_t: 336
    static final long SIGSET_SIZE = 128;
    static final long SIGINFO_SIZE = 128;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int P_PID = 1;
    static final int WNOHANG = 1;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final int SIGKILL = 9;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    final MethodHandle posixSpawn;
    final MethodHandle fileActionsInit;
    final MethodHandle fileActionsDestroy;
    final MethodHandle addDup2;
    final MethodHandle addOpen;
    final MethodHandle addChdir;
    final MethodHandle addCloseFrom;
    final MethodHandle attrInit;
    final MethodHandle attrDestroy;
    final MethodHandle attrSetFlags;
    final MethodHandle attrSetSigMask;
    final MethodHandle attrSetSigDefault;
    final MethodHandle sigEmptySet;
    final MethodHandle sigFillSet;
    final MethodHandle pipe2;
    final MethodHandle close;
    final MethodHandle waitid;
    final MethodHandle waitpid;
    final MethodHandle kill;
    final MethodHandle poll;
    final MethodHandle read;
    final MethodHandle write;
    /** {@code pidfd_open}, or null where the C library lacks it. */
    final MethodHandle pidfdOpen;

    private Libc(Linker linker, SymbolLookup lookup) {
        FunctionDescriptor intOfPtr = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        posixSpawn = handle(linker, lookup, "posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        fileActionsInit = handle(linker, lookup, "posix_spawn_file_actions_init", intOfPtr);
        fileActionsDestroy = handle(linker, lookup, "posix_spawn_file_actions_destroy", intOfPtr);
        addDup2 = handle(linker, lookup, "posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        addOpen = handle(linker, lookup, "posix_spawn_file_actions_addopen",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        addChdir = handle(linker, lookup, "posix_spawn_file_actions_addchdir_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        addCloseFrom = handle(linker, lookup, "posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        attrInit = handle(linker, lookup, "posix_spawnattr_init", intOfPtr);
        attrDestroy = handle(linker, lookup, "posix_spawnattr_destroy", intOfPtr);
        attrSetFlags = handle(linker, lookup, "posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        attrSetSigMask = handle(linker, lookup, "posix_spawnattr_setsigmask",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        attrSetSigDefault = handle(linker, lookup, "posix_spawnattr_setsigdefault",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sigEmptySet = handle(linker, lookup, "sigemptyset", intOfPtr);
        sigFillSet = handle(linker, lookup, "sigfillset", intOfPtr);
        Linker.Option errno = Linker.Option.captureCallState("errno");
        pipe2 = handle(linker, lookup, "pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
        close = handle(linker, lookup, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        waitid = handle(linker, lookup, "waitid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        waitpid = handle(linker, lookup, "waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                errno);
        kill = handle(linker, lookup, "kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
        poll = handle(linker, lookup, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
        read = handle(linker, lookup, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
        write = handle(linker, lookup, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
                errno);
        pidfdOpen = lookup.find("pidfd_open").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno)).orElse(null);
    }

    /**
     * The bindings, or empty when this is not Linux, a symbol is missing (glibc before 2.34,
     * musl) or native access is denied to taskd; {@code why} is told which.
     */
    static Optional<Libc> load(Consumer<String> why) {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            why.accept("not Linux");
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            return Optional.of(new Libc(linker, linker.defaultLookup()));
        } catch (RuntimeException | LinkageError e) {
            why.accept(String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }

    /** Memory for the errno a call with captured state leaves. */
    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(ERRNO);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor,
                                       Linker.Option... options) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                "the C library has no " + name + " (glibc 2.34 or newer has it)"));
        return linker.downcallHandle(symbol, descriptor, options);
    }
}
