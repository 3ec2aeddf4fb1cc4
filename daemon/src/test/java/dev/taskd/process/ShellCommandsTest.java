package dev.taskd.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Limiter;
import dev.taskd.concurrent.Threads;
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
        assertThat(ProcessProbe.goneWithin(child, Duration.ofSeconds(2))).as("sleep 60 started by the command is gone").isTrue();
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
    void eachCommandLeadsASessionAndProcessGroupOfItsOwn() throws Exception {
        CommandResult result = commands.run(request("echo $$; cat /proc/$$/stat", Map.of(), "", Duration.ofSeconds(10)),
                new Cancellation());

        String[] lines = result.stdoutTail().split("\n");
        String[] stat = lines[1].substring(lines[1].lastIndexOf(')') + 2).split(" ");
        assertThat(stat[2]).as("process group").isEqualTo(lines[0]);
        assertThat(stat[3]).as("session").isEqualTo(lines[0]);
        assertThat(Long.parseLong(lines[0])).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aCancelKillsADoubleForkedChild() throws Exception {
        Cancellation cancellation = new Cancellation();
        Path pidFile = workdir.resolve("grandchild.pid");
        Thread canceller = Threads.startVirtual("test-cancel", () -> {
            for (int i = 0; i < 200 && !hasText(pidFile); i++) {
                sleep(25);
            }
            cancellation.cancel(Cancellation.Reason.CANCELLED);
        });
        CommandResult result = commands.run(request("(sleep 3700 & echo $! > grandchild.pid); sleep 3701", Map.of(), "",
                Duration.ofMinutes(1)), cancellation);
        canceller.join();

        assertThat(result.stopped()).isEqualTo(Cancellation.Reason.CANCELLED);
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessProbe.goneWithin(grandchild, Duration.ofSeconds(2))).as("sleep 3700, double-forked, is gone").isTrue();
    }

    @Test
    void whatACommandLeavesRunningEndsWithIt() throws Exception {
        CommandResult result = commands.run(request("sleep 3700 & echo $! > left.pid", Map.of(), "",
                Duration.ofSeconds(10)), new Cancellation());

        assertThat(result.exitCode()).isZero();
        long left = Long.parseLong(Files.readString(workdir.resolve("left.pid")).trim());
        assertThat(ProcessProbe.goneWithin(left, Duration.ofSeconds(2))).as("the background sleep is gone").isTrue();
    }

    @Test
    void outputBeyondMaxOutputKeepsHeadMarkerAndTailWithoutTouchingTheTails() throws Exception {
        ShellCommands bounded = new ShellCommands(limiter, dev.taskd.process.Spawner.best(note -> { }), () -> 64 * 1024,
                (what, failure) -> { }, (loop, child) -> { }, null);
        Path full = workdir.resolve("out/full.log");
        CommandResult result = bounded.run(new CommandRequest("seq 1 200000; echo err >&2", workdir, Map.of(), "",
                Duration.ofSeconds(30), full), new Cancellation());

        String text = Files.readString(full);
        assertThat(text).startsWith("1\n2\n3\n").endsWith("199999\n200000\n").contains("err\n");
        assertThat(text).containsPattern("\\[taskd: stdout: \\d+ bytes dropped here \\(limits.max-output\\); "
                + "the last 32768 bytes follow]");
        assertThat(Files.size(full)).isLessThanOrEqualTo(64 * 1024 + 200);
        assertThat(result.stdoutTail()).hasSize(ShellCommands.TAIL_BYTES).endsWith("200000\n");
        try (var files = Files.list(full.getParent())) {
            assertThat(files).as("no ring file left").containsExactly(full);
        }
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
    private static boolean hasText(Path file) {
        try {
            return Files.exists(file) && !Files.readString(file).isBlank();
        } catch (java.io.IOException e) {
            return false;
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
