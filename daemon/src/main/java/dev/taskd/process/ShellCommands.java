package dev.taskd.process;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Limiter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Runs commands with {@code /bin/sh -c}, at most {@code limits.max-processes} at once (read on
 * every call, so reloads apply), each in a process group (and, where delegated, a cgroup) of its
 * own: see {@link Spawner}. A command that times out or is cancelled is killed with every
 * process it started, and so is whatever a command leaves behind when it ends: a command's
 * processes end with it. Each command is recorded with its loop as it starts ({@link Started}),
 * so that a restart after a crash can kill it.
 */
public final class ShellCommands implements Commands {

    /** Each of stdout and stderr keeps this much of its end. */
    public static final int TAIL_BYTES = 64 * 1024;

    /** Told of each command as it starts; for the store's record of running commands. */
    @FunctionalInterface
    public interface Started {
        /** Must not throw: a record that cannot be made costs only the clean-up after a crash. */
        void started(String loopId, Child child);
    }

    private final Limiter processes;
    private final Spawner spawner;
    private final LongSupplier maxOutput;
    private final BiConsumer<String, IOException> outputFailed;
    private final Started started;
    private final OutputHub live;
    private final Set<Child> running = ConcurrentHashMap.newKeySet();

    /** For tests: the best spawner, 16 MiB of output per stream, nothing reported or recorded. */
    public ShellCommands(Limiter processes) {
        this(processes, Spawner.best(note -> { }), () -> 16L << 20, (what, failure) -> { }, (loop, child) -> { }, null);
    }

    /**
     * @param maxOutput    {@code limits.max-output}, read for every command
     * @param outputFailed told when a command's full-output file cannot be opened or written
     *                     (what was attempted, and why); the command goes on regardless
     * @param live         where a loop iteration's action and validation publish their output as
     *                     it is read, for readers following it; null for nowhere
     */
    public ShellCommands(Limiter processes, Spawner spawner, LongSupplier maxOutput,
                         BiConsumer<String, IOException> outputFailed, Started started, OutputHub live) {
        this.processes = processes;
        this.spawner = spawner;
        this.maxOutput = maxOutput;
        this.outputFailed = outputFailed;
        this.started = started;
        this.live = live;
    }

    @Override
    public CommandResult run(CommandRequest request, Cancellation cancellation) throws InterruptedException {
        processes.acquire();
        try {
            return runHolding(request, cancellation);
        } finally {
            processes.release();
        }
    }

    @Override
    public boolean killStale(long pgid, long startTime, String cgroup) {
        return spawner.killStale(pgid, startTime, cgroup);
    }

    @Override
    public TextOutput textOutput(String loopId, Path outputFile) {
        FullOutput full = FullOutput.open(outputFile, maxOutput.getAsLong(), outputFailed);
        return new TextOutput(full, live == null || full == null ? null : live.open(loopId, outputFile));
    }

    /** How commands are started and contained, for the log. */
    public String describe() {
        return spawner.describe();
    }

    @Override
    public void killAll() {
        running.forEach(Child::kill);
    }

    private CommandResult runHolding(CommandRequest request, Cancellation cancellation) throws InterruptedException {
        long begun = System.nanoTime();
        TailBuffer stdout = new TailBuffer(TAIL_BYTES);
        TailBuffer stderr = new TailBuffer(TAIL_BYTES);
        FullOutput full = FullOutput.open(request.outputFile(), maxOutput.getAsLong(), outputFailed);
        OutputHub.Publisher publisher = live == null || full == null ? null : live.open(request.loopId(), request.outputFile());
        Child.Output output = (stream, bytes, offset, length) -> {
            (stream == Child.STDOUT ? stdout : stderr).write(bytes, offset, length);
            if (publisher != null) {
                // One lock over both, so that the hub's offsets are those of the file even where
                // a spawner reads the two streams on two threads.
                synchronized (publisher) {
                    full.write(stream, bytes, offset, length);
                    publisher.write(stream, bytes, offset, length);
                }
            } else if (full != null) {
                full.write(stream, bytes, offset, length);
            }
        };
        Child child;
        try {
            child = spawner.spawn(request.commandLine(), request.workdir(), request.environment(),
                    request.stdin().getBytes(StandardCharsets.UTF_8), output);
        } catch (IOException e) {
            if (full != null) {
                full.close();
            }
            if (publisher != null) {
                publisher.end();
            }
            return new CommandResult(127, "", e.getMessage(), Duration.ofNanos(System.nanoTime() - begun), null);
        }
        running.add(child);
        if (request.loopId() != null) {
            started.started(request.loopId(), child);
        }
        Cancellation.Reason stopped = null;
        try (Cancellation.Registration ignored = cancellation.onCancel(child::kill)) {
            if (!child.waitFor(request.timeout().toMillis())) {
                child.kill();
                stopped = Cancellation.Reason.TIMED_OUT;
            }
            child.waitFor(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            child.kill();
            throw e;
        } finally {
            running.remove(child);
            if (full != null) {
                full.close();
            }
            if (publisher != null) {
                publisher.end(); // after the file got its last bytes and any truncation marker
            }
        }
        if (stopped == null) {
            stopped = cancellation.reason().orElse(null);
        }
        return new CommandResult(child.exitCode(), stdout.text(), stderr.text(),
                Duration.ofNanos(System.nanoTime() - begun), stopped);
    }
}
