package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir's history outlives its daemons: generation numbers, snapshots and audit entries
 * never restart or repeat, a rollback applies exactly the kept sources of the generation asked
 * for, and a pinned loop keeps its version across a restart.
 */
class HistoryEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Only explicit reloads: the test decides when a generation is made. */
    private static final String EXPLICIT_RELOADS = """
            [reload]
            watch = false
            resync-interval = "1d"
            keep-snapshots = 3
            """;

    @TempDir
    Path home;

    @Test
    void generationsGoOnAcrossRestartsAndRollbackAppliesTheKeptSources() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT_RELOADS).file("loop-types/a.toml", type("v1"))
                .start()) {
            assertThat(generation(daemon)).isEqualTo(1);
            String hashOf1 = configHash(daemon);
            daemon.file("loop-types/a.toml", type("v2"));
            assertThat(reload(daemon).get("generation_after").asLong()).isEqualTo(2);
            daemon.file("loop-types/a.toml", type("v3"));
            assertThat(reload(daemon).get("generation_after").asLong()).isEqualTo(3);
            String hashOf3 = configHash(daemon);

            restart(daemon);
            assertThat(generation(daemon)).as("the same sources keep their number").isEqualTo(3);
            assertThat(configHash(daemon)).isEqualTo(hashOf3);

            stop(daemon);
            daemon.file("loop-types/a.toml", type("v4"));
            daemon.start();
            assertThat(generation(daemon)).as("changed sources at a start are the next number").isEqualTo(4);
            JsonNode startEntry = daemon.audit("").getLast();
            assertThat(startEntry.get("trigger").asText()).isEqualTo("start");
            assertThat(startEntry.get("generation_before").asLong()).isEqualTo(3);
            assertThat(startEntry.get("generation_after").asLong()).isEqualTo(4);
            assertThat(startEntry.get("changes").toString()).contains("loop-types.a.description");

            daemon.file("loop-types/a.toml", type("v5"));
            JsonNode fifth = reload(daemon);
            assertThat(fifth.get("generation_before").asLong()).isEqualTo(4);
            assertThat(fifth.get("generation_after").asLong()).isEqualTo(5);

            List<Long> applied = new ArrayList<>();
            daemon.audit("?result=applied").forEach(entry -> applied.add(entry.get("generation_after").asLong()));
            assertThat(applied).as("every applied generation is audited once").containsExactly(2L, 3L, 4L, 5L);

            // keep-snapshots = 3 keeps 3, 4 and 5: generation 3's sources come back exactly.
            var rollback = daemon.post("/v1/rollback?to=3", "");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
            assertThat(JSON.readTree(rollback.body()).get("generation_after").asLong()).isEqualTo(6);
            assertThat(configHash(daemon)).isEqualTo(hashOf3);
            assertThat(daemon.json("/v1/loop-types/a").get("description").asText()).isEqualTo("v3");

            var pruned = daemon.post("/v1/rollback?to=1", "");
            assertThat(pruned.statusCode()).isEqualTo(404);
            assertThat(pruned.body()).contains("generation 1 was pruned").contains("keep-snapshots = 3");
            var future = daemon.post("/v1/rollback?to=99", "");
            assertThat(future.statusCode()).isEqualTo(404);
            assertThat(future.body()).contains("generation 99 does not exist: the newest is 6");
            assertThat(hashOf1).isNotEqualTo(hashOf3);

            try (var names = Files.list(daemon.home.resolve("data/snapshots"))) {
                assertThat(names.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json")))
                        .containsExactlyInAnyOrder("4.json", "5.json", "6.json");
            }
        }
    }

    @Test
    void aDataDirFromBeforeGenerationsWereKeptOpensWithItsHistory() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT_RELOADS + "\n[limits]\ndrain-timeout = \"1s\"\n")
                .file("loop-types/a.toml", type("v1")).file("loop-types/hold.toml", "command = \"sleep 30\"\n").start()) {
            daemon.file("loop-types/a.toml", type("v2"));
            reload(daemon);
            String loop = daemon.submit("hold", "{}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(20), "running");
            stop(daemon);

            // What a taskd of schema version 1 left: no meta table, no loop generation, no command records,
            // no loop notes, iteration limits or costs.
            try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + daemon.home.resolve("data/taskd.db"));
                 var sql = db.createStatement()) {
                sql.execute("DROP TABLE loop_notes");
                sql.execute("ALTER TABLE loops DROP COLUMN iteration_limit");
                sql.execute("ALTER TABLE iterations DROP COLUMN cost");
                sql.execute("DROP TABLE meta");
                sql.execute("DROP TABLE idempotency_keys");
                sql.execute("ALTER TABLE loops DROP COLUMN generation");
                for (String column : List.of("pgid", "pgid_start", "cgroup")) {
                    sql.execute("ALTER TABLE running_iterations DROP COLUMN " + column);
                }
                sql.execute("PRAGMA user_version = 1");
            }
            daemon.start();
            assertThat(generation(daemon)).as("the same sources as generation 2").isEqualTo(2);
            daemon.awaitState(loop, Duration.ofSeconds(20), "running");
            daemon.file("loop-types/a.toml", type("v3"));
            assertThat(reload(daemon).get("generation_after").asLong()).isEqualTo(3);
            assertThat(daemon.audit("?result=applied")).extracting(entry -> entry.get("generation_after").asLong())
                    .containsExactly(2L, 3L);
            daemon.delete("/v1/loops/" + loop);
        }
    }

    @Test
    void aSecondDaemonOnTheSameDataDirExitsAtOnceNamingTheFirst() throws Exception {
        try (DaemonProcess first = new DaemonProcess(home, "").start()) {
            Path second = home.resolve("second.toml");
            Files.writeString(second, Files.readString(first.config)
                    .replace("127.0.0.1:" + first.port, "127.0.0.1:" + freePort()));
            Process process = Cli.command(home, List.of("start", "--config", second.toString()))
                    .redirectErrorStream(true).start();
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("is in use by taskd (pid " + first.pid() + ", listening on 127.0.0.1:"
                    + first.port + ")");
            assertThat(first.statusOf("/v1/ready")).isEqualTo(200);

            // The lock is the process's: after kill -9 there is nothing to clean up.
            first.signal("KILL");
            first.awaitExit(Duration.ofSeconds(10));
            first.start();
            assertThat(first.statusOf("/v1/ready")).isEqualTo(200);
        }
    }

    @Test
    void aStartOnABusyPortFailsBeforeItResumesAnyLoop() throws Exception {
        Path marker = home.resolve("runs.txt");
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/slow.toml", """
                command = "echo run >> %s; sleep 30"
                """.formatted(marker)).start()) {
            daemon.submit("slow", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "the command to run", () -> lines(marker) == 1);
            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));

            try (java.net.ServerSocket busy = new java.net.ServerSocket()) {
                busy.bind(new java.net.InetSocketAddress("127.0.0.1", daemon.port));
                Process process = Cli.command(home, List.of("start", "--config", daemon.config.toString()))
                        .redirectErrorStream(true).start();
                assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes());
                assertThat(process.exitValue()).as(output).isEqualTo(1);
                assertThat(output).contains("cannot listen on 127.0.0.1:" + daemon.port + ": address already in use")
                        .doesNotContain("daemon_started");
            }
            assertThat(lines(marker)).as("the failed start ran nothing").isEqualTo(1);

            daemon.start();
            DaemonProcess.await(Duration.ofSeconds(20), "the loop to resume", () -> lines(marker) == 2);
        }
    }

    @Test
    void concurrentSubmissionsNeverQueueMoreThanMaxQueued() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, """
                [limits]
                max-loops = 1
                max-queued = 50
                """).file("loop-types/wait.toml", "command = \"sleep 30\"\n").start()) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
            try (var clients = java.util.concurrent.Executors.newFixedThreadPool(64)) {
                for (int i = 0; i < 400; i++) {
                    clients.submit(() -> {
                        int status = daemon.post("/v1/loops", "{\"type\":\"wait\"}").statusCode();
                        (status == 201 ? accepted : refused).incrementAndGet();
                        return null;
                    });
                }
            }
            // The one loop admitted records its start in the store a moment later; wait for it.
            DaemonProcess.await(Duration.ofSeconds(20), "the admitted loop to be running", () -> {
                try {
                    return daemon.json("/v1/status").get("loops").get("running").asLong() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode status = daemon.json("/v1/status");
            long queued = status.get("loops").get("queued").asLong();
            long running = status.get("loops").get("running").asLong();
            assertThat(queued).as(status.toString()).isLessThanOrEqualTo(50);
            assertThat(status.get("queued").asLong()).as("the scheduler's queue").isLessThanOrEqualTo(50);
            assertThat(accepted.get()).isEqualTo(queued + running);
            assertThat(accepted.get() + refused.get()).isEqualTo(400);
        }
    }

    @Test
    void loopIdsCarryEightyRandomBits() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/noop.toml", "command = \"true\"\n")
                .start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ids.add(daemon.submit("noop", "{}", 0));
                Thread.sleep(2); // a new millisecond: a new random number, not the last one plus one
            }
            for (int position = 10; position < 26; position++) {
                Set<Character> seen = new HashSet<>();
                for (String id : ids) {
                    seen.add(id.charAt(position));
                }
                // 300 draws from 32 equally likely characters miss fewer than a handful of them.
                assertThat(seen).as("characters at position %d of %s", position, ids.subList(0, 5)).hasSizeGreaterThan(24);
            }
        }
    }

    @Test
    void aPinnedLoopKeepsItsVersionAcrossARestart() throws Exception {
        Path versions = home.resolve("versions.txt");
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT_RELOADS.replace("keep-snapshots = 3",
                "keep-snapshots = 1")).file("loop-types/pinned.toml", pinned("A", versions)).start()) {
            String id = daemon.submit("pinned", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "two iterations of A", () -> count(versions, "A") >= 2);
            String versionA = daemon.json("/v1/loops/" + id).get("type_version").asText();

            daemon.file("loop-types/pinned.toml", pinned("B", versions));
            reload(daemon);
            daemon.file("loop-types/pinned.toml", pinned("C", versions));
            reload(daemon);
            restart(daemon);

            int before = count(versions, "A");
            DaemonProcess.await(Duration.ofSeconds(20), "more iterations after the restart",
                    () -> count(versions, "A") >= before + 2);
            assertThat(count(versions, "B") + count(versions, "C")).as(Files.readString(versions)).isZero();
            assertThat(daemon.json("/v1/loops/" + id).get("type_version").asText()).isEqualTo(versionA);
            assertThat(daemon.json("/v1/loop-types/pinned").get("version").asText()).isNotEqualTo(versionA);

            String fresh = daemon.submit("pinned", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "a new loop to run C", () -> count(versions, "C") >= 1);
            daemon.delete("/v1/loops/" + fresh);
            daemon.delete("/v1/loops/" + id);
        }
    }

    private static String type(String description) {
        return "description = \"" + description + "\"\ncommand = \"true\"\n";
    }

    private static String pinned(String mark, Path versions) {
        return """
                on-reload = "pin"
                max-iterations = 100
                delay = "200ms"
                command = "echo %s >> %s; exit 1"
                """.formatted(mark, versions);
    }

    private static JsonNode reload(DaemonProcess daemon) throws Exception {
        var response = daemon.post("/v1/reload", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("result").asText()).as(response.body()).isEqualTo("applied");
        return event;
    }

    private static long generation(DaemonProcess daemon) throws Exception {
        return daemon.json("/v1/status").get("generation").asLong();
    }

    private static String configHash(DaemonProcess daemon) throws Exception {
        return daemon.json("/v1/status").get("config_hash").asText();
    }

    private static void stop(DaemonProcess daemon) throws Exception {
        daemon.signal("TERM");
        assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    private static void restart(DaemonProcess daemon) throws Exception {
        stop(daemon);
        daemon.start();
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static int count(Path file, String mark) {
        try {
            return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(mark::equals).count() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
