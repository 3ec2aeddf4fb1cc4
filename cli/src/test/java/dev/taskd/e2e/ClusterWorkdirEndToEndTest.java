package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two real daemons on one throwaway PostgreSQL; a loop's first iteration writes a file in its work
 * dir, and the node running it is killed with {@code kill -9} during that iteration. With
 * {@code cluster.shared-dir} the other node goes on in the same work dir and the loop's last
 * iteration sees the file; without it, the other node goes on with the loop's state in a fresh
 * work dir of its own, and a note on the loop says so and names the node of the previous one.
 */
class ClusterWorkdirEndToEndTest extends ClusterDaemons {

    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aLoopTakenOverGoesOnInTheSameWorkDirInTheSharedDir() throws Exception {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Takeover run = killDuringFirstIteration("shared-dir = \"" + shared + "\"");

        assertThat(run.last.node).as("the last iteration ran on the node that took over").isEqualTo(run.survivor);
        assertThat(run.last.workdir).as("the same work dir as iteration 1").isEqualTo(run.first.workdir)
                .startsWith(shared.toRealPath().toString());
        assertThat(run.last.marker).as("the file iteration 1 wrote, seen by iteration " + run.last.iteration)
                .isEqualTo("one");
        assertThat(workdirNotes(run)).as("no work dir moved").isEmpty();
    }

    @Test
    void withoutASharedDirATakenOverLoopGoesOnInAFreshWorkDirAndItsRecordSaysSo() throws Exception {
        Takeover run = killDuringFirstIteration("");

        assertThat(run.last.node).as("the last iteration ran on the node that took over").isEqualTo(run.survivor);
        assertThat(run.last.workdir).as("a work dir of the node that took over").isNotEqualTo(run.first.workdir)
                .startsWith(root.resolve(run.survivor).toRealPath().toString());
        assertThat(run.last.marker).as("iteration 1's file stayed on the killed node").isEqualTo("none");
        List<JsonNode> notes = workdirNotes(run);
        assertThat(notes).as("the work dir notes: given by the first node, then a fresh one").hasSize(2);
        JsonNode fresh = notes.getLast();
        assertThat(fresh.get("actor").asText()).isEqualTo("node " + run.survivor);
        assertThat(fresh.get("detail").asText()).as("the note on the first iteration after the takeover")
                .contains("fresh work dir " + run.last.workdir).contains("was on node " + run.killed)
                .contains("from iteration " + (fresh.get("iteration").asInt() + 1));
    }

    @Test
    void aNodeWhoseSharedDirIsNotMountedRefusesToStartNamingTheKey() throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("unmounted");
        Path unmounted = root.resolve("nfs").resolve("taskd");
        DaemonProcess daemon = node("a", db, root.resolve("iterations.txt"), "shared-dir = \"" + unmounted + "\"");
        Process process = Cli.command(daemon.home, List.of("start", "--config", daemon.config.toString()))
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the daemon exits").isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("cluster.shared-dir " + unmounted + " is not a writable directory")
                .contains("mount the directory every node shares there");
        assertThat(unmounted).as("taskd does not make the mount point's contents on the local disk").doesNotExist();
    }

    private record Line(String loop, int iteration, String node, String workdir, String marker) {
    }

    private record Takeover(String killed, String survivor, Line first, Line last, DaemonProcess api, String loop) {
    }

    /** Submits one loop, kills -9 the node running its first iteration, and waits for the other to finish it. */
    private Takeover killDuringFirstIteration(String clusterKeys) throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("workdir");
        Path log = root.resolve("iterations.txt");
        Files.createFile(log);
        for (String name : List.of("a", "b")) {
            nodes.add(node(name, db, log, clusterKeys).start());
        }
        String id = nodes.getFirst().submit("marker", "{}", 0);
        DaemonProcess.await(Duration.ofSeconds(60), "iteration 1 of " + id, () -> !lines(log).isEmpty());
        Line first = lines(log).getFirst();
        DaemonProcess running = nodes.get(first.node.equals("a") ? 0 : 1);
        DaemonProcess survivor = nodes.get(first.node.equals("a") ? 1 : 0);
        running.signal("KILL");
        running.awaitExit(Duration.ofSeconds(10));
        try {
            survivor.awaitState(id, Duration.ofSeconds(60), "succeeded");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its log:\n" + survivor.logText(), e);
        }
        assertThat(lines(log).getLast().iteration).as("iterations of " + id + ": " + lines(log)).isGreaterThanOrEqualTo(3);
        return new Takeover(first.node, first.node.equals("a") ? "b" : "a", first, lines(log).getLast(), survivor, id);
    }

    private static List<JsonNode> workdirNotes(Takeover run) throws Exception {
        List<JsonNode> notes = new ArrayList<>();
        run.api.json("/v1/loops/" + run.loop).get("notes").forEach(note -> {
            if (note.get("action").asText().equals("workdir")) {
                notes.add(note);
            }
        });
        return notes;
    }

    private DaemonProcess node(String name, PostgresTarget db, Path log, String clusterKeys) throws IOException {
        return node(name, db, LEASE, Duration.ofSeconds(1), clusterKeys, "")
                .withEnvironment("TASKD_TEST_NODE", name)
                .file("loop-types/marker.toml", """
                        command = "if [ {{iteration}} -eq 1 ]; then echo one > marker; fi; echo \\"{{loop-id}} {{iteration}} $TASKD_TEST_NODE $(pwd -P) $(cat marker 2>/dev/null || echo none)\\" >> '%s'; sleep 2"
                        max-iterations = 10
                        delay = "200ms"

                        [validation]
                        command = "test {{iteration}} -ge 3"
                        """.formatted(log));
    }

    private static List<Line> lines(Path log) {
        try {
            return Files.readAllLines(log).stream().map(l -> l.split(" ")).filter(p -> p.length == 5)
                    .map(p -> new Line(p[0], Integer.parseInt(p[1]), p[2], p[3], p[4])).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
