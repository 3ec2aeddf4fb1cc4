package dev.taskd.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fallback where {@code posix_spawn} through FFM is unavailable: the JDK's launcher. Its
 * commands stay in the daemon's process group (a terminal's Ctrl+C reaches them), and a kill
 * reaches the command and the descendants found at that moment.
 */
final class JdkSpawner implements Spawner {

    @Override
    public Child spawn(String commandLine, Path workdir, Map<String, String> environment, boolean withStdin)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", commandLine)).directory(workdir.toFile());
        builder.environment().putAll(environment);
        if (!withStdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        try {
            return new JdkChild(builder.start(), withStdin);
        } catch (IOException e) {
            throw new IOException("cannot start /bin/sh in " + workdir + ": " + e.getMessage(), e);
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

    private record JdkChild(Process process, boolean withStdin) implements Child {

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
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public OutputStream stdin() {
            return withStdin ? process.getOutputStream() : null;
        }

        @Override
        public boolean waitFor(long millis) throws InterruptedException {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
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
