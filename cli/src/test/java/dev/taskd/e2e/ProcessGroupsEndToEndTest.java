package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands as processes, against the real daemon: signals meant for the daemon reach it alone,
 * what a command starts dies with it, nothing of a killed daemon runs on beside its successor,
 * and output on disk stays bounded.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessGroupsEndToEndTest {

    @TempDir
    Path home;

    @Test
    void ctrlCToTheDaemonsGroupLetsTheRunningActionFinishAndPass() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\ndrain-timeout = \"20s\"\n")
                .file("loop-types/slow.toml", """
                        command = "touch started; sleep 3; touch finished"
                        max-iterations = 1
                        [validation]
                        command = "test -f finished"
                        """)
                .startInOwnSession()) {
            String id = daemon.submit("slow", "{}", 0);
            Path work = Path.of(daemon.json("/v1/loops/" + id).get("workdir").asText());
            DaemonProcess.await(Duration.ofSeconds(30), "the action to start", () -> Files.exists(work.resolve("started")));

            daemon.signalGroup("INT");

            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).as("exit code after the drain").isZero();
            assertThat(work.resolve("finished")).as("the action ran to its end").exists();
            daemon.start();
            JsonNode iterations = daemon.json("/v1/loops/" + id + "/iterations").get("iterations");
            assertThat(iterations).hasSize(1);
            assertThat(iterations.get(0).get("outcome").asText()).isEqualTo("passed");
            assertThat(daemon.state(id)).isEqualTo("succeeded");
        }
    }

    @Test
    void afterKillNineOfTheDaemonItsCommandsAreGoneAndNoLoopRunsTwoActionsAtOnce() throws Exception {
        Path marks = Files.createDirectories(home.resolve("marks"));
        try (DaemonProcess daemon = new DaemonProcess(home, "")
                .file("loop-types/long.toml", """
                        command = '''
                        for p in $(cat "%1$s/$TASKD_LOOP_ID.pids" 2>/dev/null); do
                          if [ -e /proc/$p ] && ! grep -q ') Z' /proc/$p/stat; then echo "$TASKD_LOOP_ID $p" >> "%1$s/overlaps"; fi
                        done
                        echo $$ >> "%1$s/$TASKD_LOOP_ID.pids"
                        sleep 12 & wait
                        '''
                        max-iterations = 2
                        delay = "0s"
                        [validation]
                        command = "false"
                        """.formatted(marks))
                .start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(daemon.submit("long", "{}", 0));
            }
            DaemonProcess.await(Duration.ofSeconds(30), "every loop's action to start",
                    () -> ids.stream().allMatch(id -> Files.exists(marks.resolve(id + ".pids"))));
            List<Long> old = new ArrayList<>();
            for (String id : ids) {
                Files.readAllLines(marks.resolve(id + ".pids")).forEach(line -> old.add(Long.parseLong(line.trim())));
            }
            assertThat(old).allSatisfy(group -> assertThat(aliveInGroup(group)).as("group " + group).isNotEmpty());

            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));
            long restarted = System.nanoTime();
            daemon.start();

            DaemonProcess.await(Duration.ofSeconds(2), "the old daemon's commands to be gone",
                    () -> old.stream().allMatch(group -> aliveInGroup(group).isEmpty()));
            assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("restart until they were gone")
                    .isLessThan(Duration.ofSeconds(12));
            DaemonProcess.await(Duration.ofSeconds(30), "every loop's action to start again",
                    () -> ids.stream().allMatch(id -> lines(marks.resolve(id + ".pids")) == 2));
            assertThat(marks.resolve("overlaps")).as("actions of one loop running at once").doesNotExist();
            for (String id : ids) {
                JsonNode first = daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0);
                assertThat(first.get("outcome").asText()).as("iteration cut off by the kill").isEqualTo("interrupted");
            }
        }
    }

    @Test
    void aDoubleForkedChildIsGoneTwoSecondsAfterCancel() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "")
                .file("loop-types/forker.toml", "command = \"(sleep 3700 & echo $! > grandchild.pid); sleep 3701\"\n")
                .start()) {
            String id = daemon.submit("forker", "{}", 0);
            Path pidFile = Path.of(daemon.json("/v1/loops/" + id).get("workdir").asText()).resolve("grandchild.pid");
            DaemonProcess.await(Duration.ofSeconds(30), "the double fork", () -> nonEmpty(pidFile));
            long grandchild = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(alive(grandchild)).isTrue();

            assertThat(daemon.delete("/v1/loops/" + id).statusCode()).isEqualTo(200);

            DaemonProcess.await(Duration.ofSeconds(2), "sleep 3700 to be gone", () -> !alive(grandchild));
        }
    }

    @Test
    void aYesActionLeavesAtMostMaxOutputOnDisk() throws Exception {
        long max = 1 << 20;
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-output = \"1MiB\"\n")
                .file("loop-types/yes.toml", "command = \"timeout 3 yes\"\nmax-iterations = 1\n")
                .start()) {
            String id = daemon.submit("yes", "{}", 0);
            daemon.awaitState(id, Duration.ofSeconds(30), "failed", "succeeded");

            Path outputs = home.resolve("data/loops/" + id);
            try (Stream<Path> files = Files.list(outputs)) {
                assertThat(files.map(file -> file.getFileName().toString())).containsExactly("1-action.log");
            }
            Path log = outputs.resolve("1-action.log");
            assertThat(Files.size(log)).isGreaterThan(max - 1000).isLessThanOrEqualTo(max + 200);
            String text = Files.readString(log);
            assertThat(text).containsPattern("\\[taskd: stdout: \\d+ bytes dropped here \\(limits.max-output\\); "
                    + "the last 524288 bytes follow]");
            assertThat(text).startsWith("y\ny\n").endsWith("y\n");
        }
    }

    @Test
    void aForcedExitLeavesNoCommandAlive() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\ndrain-timeout = \"1m\"\n")
                .file("loop-types/stuck.toml", "command = \"echo $$ > group.pid; sleep 3700 & wait\"\n")
                .start()) {
            String id = daemon.submit("stuck", "{}", 0);
            Path pidFile = Path.of(daemon.json("/v1/loops/" + id).get("workdir").asText()).resolve("group.pid");
            DaemonProcess.await(Duration.ofSeconds(30), "the action", () -> nonEmpty(pidFile));
            long group = Long.parseLong(Files.readString(pidFile).trim());

            daemon.signal("TERM");
            DaemonProcess.await(Duration.ofSeconds(10), "the drain to begin",
                    () -> daemon.logText().contains("drain_started"));
            daemon.signal("TERM");

            assertThat(daemon.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
            DaemonProcess.await(Duration.ofSeconds(2), "the command's group to be gone",
                    () -> aliveInGroup(group).isEmpty());
        }
    }

    /** Live (not zombie) processes whose process group is {@code group}. */
    static List<Long> aliveInGroup(long group) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String[] fields = stat(p);
                if (fields != null && !fields[0].equals("Z") && Long.parseLong(fields[2]) == group) {
                    members.add(Long.parseLong(p.getFileName().toString()));
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return members;
    }

    private static boolean alive(long pid) {
        String[] fields = stat(Path.of("/proc", Long.toString(pid)));
        return fields != null && !fields[0].equals("Z");
    }

    /** The fields of /proc/PID/stat after the command name (state first), or null when gone. */
    private static String[] stat(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.exists(file) && !Files.readString(file).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
