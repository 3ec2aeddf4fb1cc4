package dev.taskd.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@code /bin/sh -c}, at most {@code limits.max-processes} at once (read on
 * every call, so reloads apply). A command that times out or is cancelled is killed with every
 * process it started: the tree is collected before anything is killed, so children cannot slip
 * away to init while their parent dies.
 */
public final class ShellCommands implements Commands {

    /** Each of stdout and stderr keeps this much of its end. */
    public static final int TAIL_BYTES = 64 * 1024;

    private final Limiter processes;
    private final BiConsumer<String, IOException> outputFailed;

    public ShellCommands(Limiter processes) {
        this(processes, (what, failure) -> { });
    }

    /**
     * @param outputFailed told when a command's full-output file cannot be opened or written
     *                     (what was attempted, and why); the command goes on regardless
     */
    public ShellCommands(Limiter processes, BiConsumer<String, IOException> outputFailed) {
        this.processes = processes;
        this.outputFailed = outputFailed;
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

    private CommandResult runHolding(CommandRequest request, Cancellation cancellation) throws InterruptedException {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", request.commandLine()))
                .directory(request.workdir().toFile());
        builder.environment().putAll(request.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(127, "", "cannot start /bin/sh in " + request.workdir() + ": " + e.getMessage(),
                    Duration.ofNanos(System.nanoTime() - started), null);
        }
        TailBuffer stdout = new TailBuffer(TAIL_BYTES);
        TailBuffer stderr = new TailBuffer(TAIL_BYTES);
        FullOutput full = FullOutput.open(request.outputFile(), outputFailed);
        Thread outPump = pump("stdout", process.getInputStream(), stdout, full);
        Thread errPump = pump("stderr", process.getErrorStream(), stderr, full);
        feed(process, request.stdin());
        Cancellation.Reason stopped = null;
        try (Cancellation.Registration ignored = cancellation.onCancel(() -> killTree(process))) {
            if (!process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                stopped = Cancellation.Reason.TIMED_OUT;
            }
            process.waitFor();
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        } finally {
            outPump.join(1000);
            errPump.join(1000);
            if (full != null) {
                full.close();
            }
        }
        if (stopped == null) {
            stopped = cancellation.reason().orElse(null);
        }
        return new CommandResult(process.exitValue(), stdout.text(), stderr.text(),
                Duration.ofNanos(System.nanoTime() - started), stopped);
    }

    /** Kills the whole tree: descendants collected first, then everything at once. */
    static void killTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread pump(String name, InputStream in, TailBuffer tail, FullOutput full) {
        return Threads.startVirtual("pump-" + name, () -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    tail.write(buffer, 0, read);
                    if (full != null) {
                        full.write(buffer, 0, read);
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its end; what was read so far is kept.
            }
        });
    }

    private static void feed(Process process, String stdin) {
        if (stdin.isEmpty()) {
            // Most commands get no input: closing at once spares a thread per command.
            closeQuietly(process.getOutputStream());
            return;
        }
        Threads.startVirtual("stdin", () -> {
            try (OutputStream out = process.getOutputStream()) {
                out.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The command does not read its input, or ended before reading all of it.
            }
        });
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // The tails are kept regardless; losing the full-output file is not worth failing for.
            }
        }
    }
}
