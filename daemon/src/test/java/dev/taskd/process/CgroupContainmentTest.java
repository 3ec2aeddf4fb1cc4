package dev.taskd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two containment modes against an escape a process group cannot hold: a double fork that
 * calls {@code setsid}. Needs a writable cgroup v2 tree (root in a VM or a delegated cgroup);
 * skipped elsewhere.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CgroupContainmentTest {

    /** Its output goes elsewhere, so that it does not hold the command's pipes open. */
    private static final String ESCAPE = "(setsid sleep 3700 >/dev/null 2>&1 & echo $! > escaped.pid) ; sleep 0.2";

    @TempDir
    Path workdir;

    private Path parent;

    @BeforeEach
    void makeParentCgroup() throws IOException {
        Optional<Path> mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(" - cgroup2 ")).map(line -> Path.of(line.split(" ")[4])).findFirst();
        assumeTrue(mount.isPresent() && Files.isWritable(mount.get()), "a writable cgroup v2 tree");
        parent = Files.createDirectory(mount.get().resolve("taskd-test-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime()));
    }

    @AfterEach
    void removeParentCgroup() throws IOException {
        if (parent != null) {
            try (var children = Files.list(parent)) {
                children.filter(Files::isDirectory).forEach(Cgroups::remove);
            }
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void aCgroupPerCommandKillsASetsidEscapeWhenTheCommandEnds() throws Exception {
        Spawner spawner = new PosixSpawner(Libc.load(why -> { }).orElseThrow(), new Cgroups(parent));

        Child child = spawner.spawn(ESCAPE, workdir, Map.of(), new byte[0], (stream, bytes, offset, length) -> { });
        assertThat(child.waitFor(10_000)).isTrue();

        assertThat(child.exitCode()).isZero();
        long escaped = Long.parseLong(Files.readString(workdir.resolve("escaped.pid")).trim());
        assertThat(ProcessProbe.goneWithin(escaped, Duration.ofSeconds(2))).as("the setsid escape is gone").isTrue();
        assertThat(Files.exists(Path.of(child.cgroup()))).as("its cgroup is removed").isFalse();
    }

    @Test
    void aProcessGroupAloneDoesNotHoldASetsidEscape() throws Exception {
        Spawner spawner = new PosixSpawner(Libc.load(why -> { }).orElseThrow(), null);

        Child child = spawner.spawn(ESCAPE, workdir, Map.of(), new byte[0], (stream, bytes, offset, length) -> { });
        assertThat(child.waitFor(10_000)).isTrue();

        long escaped = Long.parseLong(Files.readString(workdir.resolve("escaped.pid")).trim());
        try {
            assertThat(ProcessProbe.goneWithin(escaped, Duration.ofMillis(500))).as("documented in SECURITY.md: the escape outlives it").isFalse();
        } finally {
            ProcessHandle.of(escaped).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void killStaleKillsARecordedGroupOnlyWhileItsLeaderHasTheRecordedStartTime() throws Exception {
        Spawner spawner = new PosixSpawner(Libc.load(why -> { }).orElseThrow(), null);
        Child child = spawner.spawn("sleep 3700", workdir, Map.of(), new byte[0],
                (stream, bytes, offset, length) -> { });

        assertThat(spawner.killStale(child.pid(), child.startTime() + 1, null)).as("another start time").isFalse();
        assertThat(child.waitFor(300)).isFalse();
        assertThat(spawner.killStale(child.pid(), child.startTime(), null)).isTrue();
        assertThat(child.waitFor(2_000)).isTrue();
        assertThat(child.exitCode()).isEqualTo(128 + 9);
    }
}
