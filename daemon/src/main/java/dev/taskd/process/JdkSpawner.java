package dev.taskd.process;

import dev.taskd.concurrent.Threads;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fallback where {@code posix_spawn} through FFM is unavailable: the JDK's launcher. Its
 * commands stay in the daemon's process group (a terminal's Ctrl+C reaches them), and a kill
 * reaches the command and the descendants found at that moment. Its output is read by a
 * platform thread per stream (reading a JDK process's pipe blocks), its input fed by a third.
 */
final class JdkSpawner implements Spawner {

    private static final ExecutorService PIPES =
            Executors.newCachedThreadPool(Threads.platformDaemonFactory("pipe"));

    @Override
    public Child spawn(String commandLine, Path workdir, Map<String, String> environment, byte[] stdin,
                       Child.Output output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", commandLine)).directory(workdir.toFile());
        builder.environment().keySet().removeAll(NOT_INHERITED);
        builder.environment().putAll(environment);
        if (stdin.length == 0) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start /bin/sh in " + workdir + ": " + e.getMessage(), e);
        }
        if (stdin.length > 0) {
            PIPES.execute(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The command does not read its input, or ended before reading all of it.
                }
            });
        } else {
            closeQuietly(process.getOutputStream());
        }
        return new JdkChild(process, List.of(pump(process.getInputStream(), Child.STDOUT, output),
                pump(process.getErrorStream(), Child.STDERR, output)));
    }

    private static Future<?> pump(InputStream in, int stream, Child.Output output) {
        return PIPES.submit(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    output.write(stream, buffer, 0, read);
                }
            } catch (IOException e) {
                // The process was killed or closed its end; what was read so far is kept.
            }
        });
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Nothing was written to it; closing only frees the descriptor.
        }
    }

    @Override
    public boolean killStale(long pid, long startTime, String cgroup) {
        if (pid <= 0 || startTime <= 0 || ProcStat.startTime(pid) != startTime) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(handle -> {
            List<ProcessHandle> tree = handle.descendants().toList();
            handle.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        });
        return true;
    }

    @Override
    public String describe() {
        return "the JDK's launcher; commands share the daemon's process group";
    }

    private record JdkChild(Process process, List<Future<?>> pumps) implements Child {

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public long startTime() {
            return ProcStat.startTime(process.pid());
        }

        @Override
        public String cgroup() {
            return null;
        }

        @Override
        public boolean waitFor(long millis) throws InterruptedException {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return false;
            }
            // A process that left the group keeps the pipes open: its output is not waited for.
            long deadline = System.nanoTime() + 1_000_000_000L;
            for (Future<?> pump : pumps) {
                try {
                    pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // Left reading until the escaped process closes the pipe.
                }
            }
            return true;
        }

        @Override
        public int exitCode() {
            return process.exitValue();
        }

        @Override
        public void kill() {
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
