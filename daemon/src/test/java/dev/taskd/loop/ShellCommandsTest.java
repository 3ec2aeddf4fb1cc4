package dev.taskd.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCommandsTest {

    @TempDir
    Path workdir;

    private final AtomicInteger limit = new AtomicInteger(4);
    private final Limiter limiter = new Limiter(limit::get);
    private final ShellCommands commands = new ShellCommands(limiter);

    @Test
    void runsInTheWorkdirWithStdinAndEnvironment() throws Exception {
        CommandResult result = commands.run(request("pwd; cat; echo \"$GREETING\" >&2; exit 3",
                Map.of("GREETING", "hi"), "from stdin\n", Duration.ofSeconds(10)), new Cancellation());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutTail()).isEqualTo(workdir.toRealPath() + "\nfrom stdin\n");
        assertThat(result.stderrTail()).isEqualTo("hi\n");
        assertThat(result.stopped()).isNull();
    }

    @Test
    void aTimeoutKillsTheCommandAndEveryProcessItStarted() throws Exception {
        long started = System.nanoTime();
        CommandResult result = commands.run(request("sleep 60 & echo $! > child.pid; wait",
                Map.of(), "", Duration.ofMillis(500)), new Cancellation());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.stopped()).isEqualTo(Cancellation.Reason.TIMED_OUT);
        long child = Long.parseLong(Files.readString(workdir.resolve("child.pid")).trim());
        assertThat(goneWithin(child, Duration.ofSeconds(2))).as("sleep 60 started by the command is gone").isTrue();
    }

    @Test
    void aCancelReachesARunningCommandWithinASecond() throws Exception {
        Cancellation cancellation = new Cancellation();
        Thread canceller = Threads.startVirtual("test-cancel", () -> {
            sleep(300);
            cancellation.cancel(Cancellation.Reason.CANCELLED);
        });
        long started = System.nanoTime();
        CommandResult result = commands.run(request("sleep 60", Map.of(), "", Duration.ofMinutes(1)), cancellation);
        canceller.join();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1300));
        assertThat(result.stopped()).isEqualTo(Cancellation.Reason.CANCELLED);
    }

    @Test
    void outputTailsStayBoundedAndTheFullOutputGoesToItsFile() throws Exception {
        Path full = workdir.resolve("out/full.log");
        CommandResult result = commands.run(new CommandRequest("head -c 200000 /dev/zero | tr '\\0' 'x'", workdir,
                Map.of(), "", Duration.ofSeconds(10), full), new Cancellation());

        assertThat(result.stdoutTail()).hasSize(ShellCommands.TAIL_BYTES);
        assertThat(Files.size(full)).isEqualTo(200_000);
    }

    @Test
    void neverRunsMoreCommandsAtOnceThanTheLimit() throws Exception {
        limit.set(2);
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Threads.startVirtual("test-limit", () -> {
                try {
                    commands.run(request("sleep 0.2", Map.of(), "", Duration.ofSeconds(10)), new Cancellation());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int i = 0; i < 40 && threads.stream().anyMatch(Thread::isAlive); i++) {
            most.accumulateAndGet(limiter.inUse(), Math::max);
            Thread.sleep(25);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(limiter.inUse()).isZero();
    }

    private CommandRequest request(String command, Map<String, String> environment, String stdin, Duration timeout) {
        return new CommandRequest(command, workdir, environment, stdin, timeout, null);
    }

    /** SIGKILL is delivered at once, but a killed child stays visible until it is reaped. */
    private static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true) || isZombie(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
