package dev.taskd.e2e;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A unix datagram socket bound to a path, as systemd's notify socket is: what a daemon started
 * with {@code NOTIFY_SOCKET} set to {@link #path} sends arrives at {@link #receive}. Made through
 * the C library by the FFM API, since the JDK has no unix datagram sockets. One thread at a time.
 */
final class NotifySocket implements AutoCloseable {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = handle("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    final Path path;
    private final Arena arena = Arena.ofShared();
    private final int fd;

    NotifySocket(Path path) throws Throwable {
        this.path = path;
        fd = (int) SOCKET.invokeExact(1, 2 | 0x80000, 0); // AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC
        if (fd < 0) {
            throw new AssertionError("socket(AF_UNIX, SOCK_DGRAM) failed");
        }
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment address = arena.allocate(110, 2);
        address.set(JAVA_SHORT, 0, (short) 1);
        MemorySegment.copy(name, 0, address, JAVA_BYTE, 2, name.length);
        if ((int) BIND.invokeExact(fd, address, 2 + name.length + 1) != 0) {
            throw new AssertionError("bind " + path + " failed (path longer than 107 bytes?)");
        }
    }

    /** The next datagram's text; fails when none comes within {@code limit}. */
    String receive(Duration limit) throws Throwable {
        MemorySegment pollFd = arena.allocate(8, 4);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, (short) 1); // POLLIN
        int ready = (int) POLL.invokeExact(pollFd, 1L, (int) limit.toMillis());
        if (ready <= 0) {
            throw new AssertionError("no notification within " + limit);
        }
        MemorySegment buffer = arena.allocate(4096);
        long length = (long) RECV.invokeExact(fd, buffer, 4096L, 0);
        if (length < 0) {
            throw new AssertionError("recv failed");
        }
        return new String(buffer.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Fails when a datagram comes within {@code wait}. */
    void assertQuiet(Duration wait) throws Throwable {
        MemorySegment pollFd = arena.allocate(8, 4);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, (short) 1);
        if ((int) POLL.invokeExact(pollFd, 1L, (int) wait.toMillis()) > 0) {
            throw new AssertionError("unexpected notification: " + receive(Duration.ZERO));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        arena.close();
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
