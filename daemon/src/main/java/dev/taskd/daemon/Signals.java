package dev.taskd.daemon;

import dev.taskd.concurrent.Threads;
import dev.taskd.reload.ReloadTrigger;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the daemon cleanly, so that it exits 0 as service managers expect
 * (the JVM's own handling would exit 143). A second signal while stopping exits at once, killing
 * every running command first: the store is crash-safe, so nothing is corrupted, only the
 * current iterations are cut off. Commands run in process groups of their own, so a terminal's
 * Ctrl+C or {@code kill -TERM -PGID} reaches the daemon alone, which drains.
 */
final class Signals {

    private Signals() {
    }

    static void install(Daemon daemon) {
        Signal.handle(new Signal("HUP"), signal -> daemon.requestReload(ReloadTrigger.SIGNAL));
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() > 1) {
                    daemon.forceExit();
                }
                // Stop off the signal thread: stopping waits for loops and the store.
                Threads.startVirtual("stop-on-sig" + signal.getName(), () -> daemon.stop("SIG" + signal.getName()));
            });
        }
    }
}
