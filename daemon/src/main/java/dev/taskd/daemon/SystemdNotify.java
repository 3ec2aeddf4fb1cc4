package dev.taskd.daemon;

import dev.taskd.reload.ReloadPhases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * systemd's readiness protocol (sd_notify(3)) for a {@code Type=notify} unit: {@code READY=1}
 * once {@code /v1/ready} answers 200, {@code RELOADING=1} (with the {@code MONOTONIC_USEC} that
 * systemd 253 and newer expect) and {@code READY=1} around every reload, {@code STOPPING=1} when
 * the drain starts. Each is one datagram to the unix socket {@code NOTIFY_SOCKET} names, sent by
 * the daemon's own process through {@link UnixDatagram}: the {@code systemd-notify} command would
 * be a child process, which systemd ignores under the default {@code NotifyAccess=main} and may
 * not attribute to the service at all once it has exited.
 *
 * <p>Without {@code NOTIFY_SOCKET} (not under systemd) every method does nothing. A failed send
 * is said once on stderr and never stops the daemon: systemd then times the start out, which
 * names the cause better than a daemon that refuses to run. Thread-safe.
 */
public final class SystemdNotify {

    /** The variable systemd sets for a {@code Type=notify} service; the commands taskd runs do not get it. */
    public static final String VARIABLE = "NOTIFY_SOCKET";

    /** The socket's address; null when not under systemd. */
    private final String socket;
    private final AtomicBoolean failed = new AtomicBoolean();

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    /** Notifies the socket of {@code NOTIFY_SOCKET}, or nothing when it is not set. */
    public static SystemdNotify fromEnvironment() {
        String socket = System.getenv(VARIABLE);
        return new SystemdNotify(socket == null || socket.isEmpty() ? null : socket);
    }

    /** The daemon serves: what {@code /v1/ready} now says. */
    public void ready(long generation) {
        send("READY=1\nSTATUS=ready, generation " + generation);
    }

    /**
     * A reload begins. {@code MONOTONIC_USEC} is CLOCK_MONOTONIC in microseconds, which is what
     * {@link System#nanoTime} reads on Linux.
     */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=reloading");
    }

    /**
     * {@code RELOADING=1} when a reload begins, {@code READY=1} with the generation then in force
     * when it ends; nothing once the drain has begun, when systemd must not hear "ready" again.
     */
    public ReloadPhases reloadPhases(BooleanSupplier draining, LongSupplier generation) {
        return new ReloadPhases() {
            @Override
            public void started() {
                if (!draining.getAsBoolean()) {
                    reloading();
                }
            }

            @Override
            public void ended() {
                if (!draining.getAsBoolean()) {
                    ready(generation.getAsLong());
                }
            }
        };
    }

    /** The drain begins; the process exits when it ends. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=draining");
    }

    private void send(String message) {
        if (socket == null) {
            return;
        }
        try {
            UnixDatagram.send(socket, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            if (failed.compareAndSet(false, true)) {
                System.err.println("taskd: cannot notify systemd at " + VARIABLE + "=" + socket + ": " + e.getMessage()
                        + " (said once; the daemon goes on)");
            }
        }
    }
}
