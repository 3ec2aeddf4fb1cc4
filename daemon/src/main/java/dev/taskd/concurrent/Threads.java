package dev.taskd.concurrent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The one place taskd creates threads: virtual threads for loops and timers; platform threads
 * for the store's one writer and for what blocks in native code (waiting for a child process,
 * reading its pipes).
 * Naming them makes thread dumps readable ({@code loop-01J...}, {@code pump-stdout-1234}).
 */
public final class Threads {

    private Threads() {
    }

    /** Starts {@code task} on a new virtual thread named {@code name}. */
    public static Thread startVirtual(String name, Runnable task) {
        return Thread.ofVirtual().name(name).start(task);
    }

    /** A platform thread not yet started: for {@code Runtime.addShutdownHook}, which starts it itself. */
    public static Thread unstartedPlatform(String name, Runnable task) {
        return Thread.ofPlatform().name(name).unstarted(task);
    }

    /** Starts {@code task} on a new platform daemon thread: for the few threads that hold native resources. */
    public static Thread startPlatformDaemon(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon(true).start(task);
    }

    /**
     * A factory of platform daemon threads named {@code prefix-0}, ...: for threads that block in
     * native calls, which would pin a virtual thread's carrier (waiting for a child process).
     */
    public static ThreadFactory platformDaemonFactory(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 0).daemon(true).stackSize(256 * 1024).factory();
    }

    /**
     * A scheduler on one platform daemon thread named {@code name}, whose cancelled tasks leave
     * its queue at once: for deadlines that are almost always cancelled before they are due.
     */
    public static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name(name).daemon(true).factory());
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** A factory of virtual threads named {@code prefix-0}, {@code prefix-1}, ... */
    public static ThreadFactory virtualFactory(String prefix) {
        return Thread.ofVirtual().name(prefix + "-", 0).factory();
    }
}
