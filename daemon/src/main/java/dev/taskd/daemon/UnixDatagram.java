package dev.taskd.daemon;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to a unix socket, through the C library by the FFM API: the JDK's
 * {@code DatagramChannel} has no unix-domain datagrams (its {@code UnixDomainSocketAddress}
 * serves stream channels only). Linux: a path, or {@code @name} for the abstract namespace.
 * Stateless and thread-safe; the C functions are looked up at the first send.
 */
final class UnixDatagram {

    private static final short AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** {@code sun_path} of {@code struct sockaddr_un}, after its two-byte family. */
    private static final int SUN_PATH = 108;

    private UnixDatagram() {
    }

    /** @throws IOException naming the socket and the C library's error */
    static void send(String address, byte[] message) throws IOException {
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length == 0 || path.length >= SUN_PATH) {
            throw new IOException("unix socket address '" + address + "' must be 1 to " + (SUN_PATH - 1) + " bytes");
        }
        if (abstractName) {
            path[0] = 0;
        }
        C c = C.INSTANCE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(C.ERRNO);
            MemorySegment sockaddr = arena.allocate(2 + SUN_PATH, 2);
            sockaddr.set(JAVA_SHORT, 0, AF_UNIX);
            MemorySegment.copy(path, 0, sockaddr, JAVA_BYTE, 2, path.length);
            int length = 2 + path.length + (abstractName ? 0 : 1);
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, message);
            int fd = (int) c.socket.invokeExact(errno, (int) AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + C.errno(errno));
            }
            try {
                long sent = (long) c.sendto.invokeExact(errno, fd, data, (long) message.length, MSG_NOSIGNAL,
                        sockaddr, length);
                if (sent < 0) {
                    throw new IOException("sendto " + address + " failed: errno " + C.errno(errno));
                }
            } finally {
                int ignored = (int) c.close.invokeExact(fd); // a datagram socket has nothing to flush
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the C library failed", e);
        }
    }

    /** The C functions, looked up once. */
    private static final class C {
        static final C INSTANCE = new C();
        static final StructLayout ERRNO = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        final MethodHandle socket;
        final MethodHandle sendto;
        final MethodHandle close;

        private C() {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            socket = linker.downcallHandle(linker.defaultLookup().find("socket").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
            sendto = linker.downcallHandle(linker.defaultLookup().find("sendto").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), errno);
            close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO_VALUE.get(state, 0L);
        }
    }
}
