package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload of the real daemon through real file saves, the API and the audit log. */
class HotReloadEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COUNT = """
            script = "count.js"
            max-iterations = 20
            delay = "300ms"
            """;
    private static final String COUNT_JS = """
            export function iterate(ctx) {
              ctx.state.seen = ctx.maxIterations;
              ctx.state.counted = (ctx.state.counted ?? 0) + 1;
              if (ctx.state.counted >= 5) ctx.complete("counted");
            }
            """;

    @TempDir
    Path home;

    /**
     * A hundred loops that run until the file {@code release} is in the work dir they share, so
     * that every one of them is still running when the changed type goes live, however busy the
     * machine. (How soon a save goes live is measured by the reload-latency benchmark.)
     */
    @Test
    void aChangedLoopTypeIsLiveForNewLoopsAndRunningLoopsFinishOnTheirVersion() throws Exception {
        Path shared = Files.createDirectories(home.resolve("shared"));
        String held = """
                script = "held.js"
                inputs = ["workdir"]
                max-iterations = 20
                delay = "1s"
                """;
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/count.toml", held)
                .file("loop-types/held.js", """
                        export function iterate(ctx) {
                          ctx.state.seen = ctx.maxIterations;
                          if (ctx.fs.exists("release")) ctx.complete("released");
                        }
                        """)) {
            String config = Files.readString(daemon.config);
            Files.writeString(daemon.config, config.replace("[templates]", "workdir-roots = [\"" + home + "\"]\n\n[templates]"));
            daemon.start();
            String inputs = "{\"workdir\":\"" + shared + "\"}";
            List<String> running = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                running.add(daemon.submit("count", inputs, 0));
            }
            DaemonProcess.await(Duration.ofSeconds(60), "100 loops to run",
                    () -> count(daemon, "running") == 100);

            daemon.file("loop-types/count.toml", held.replace("max-iterations = 20", "max-iterations = 30"));
            DaemonProcess.await(Duration.ofSeconds(30), "generation 2", () -> generation(daemon) == 2);
            assertThat(count(daemon, "running")).as("loops running when generation 2 is live").isEqualTo(100);
            String fresh = daemon.submit("count", inputs, 0);
            DaemonProcess.await(Duration.ofSeconds(30), "an iteration of the new loop",
                    () -> iterations(daemon, fresh) >= 1);
            Files.writeString(shared.resolve("release"), "");

            for (String id : running) {
                daemon.awaitState(id, Duration.ofSeconds(60), "succeeded");
                assertThat(daemon.json("/v1/loops/" + id).get("data").get("seen").asInt()).isEqualTo(20);
                for (JsonNode iteration : daemon.json("/v1/loops/" + id + "/iterations").get("iterations")) {
                    assertThat(iteration.get("generation").asInt()).as("generation of %s", id).isEqualTo(1);
                }
            }
            daemon.awaitState(fresh, Duration.ofSeconds(30), "succeeded");
            assertThat(daemon.json("/v1/loops/" + fresh).get("data").get("seen").asInt()).isEqualTo(30);

            List<JsonNode> applied = daemon.audit("?result=applied");
            assertThat(applied).hasSize(1);
            JsonNode change = applied.getFirst().get("changes").get(0);
            assertThat(change.get("key").asText()).isEqualTo("loop-types.count.max-iterations");
            assertThat(change.get("old").asText()).isEqualTo("20");
            assertThat(change.get("new").asText()).isEqualTo("30");
        }
    }

    private static int iterations(DaemonProcess daemon, String id) {
        try {
            return daemon.json("/v1/loops/" + id).get("iterations").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aScriptThatDoesNotCompileIsRejectedWithItsPlaceAndTheNextGoodSaveApplies() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/count.toml", COUNT)
                .file("loop-types/count.js", COUNT_JS).start()) {
            daemon.file("loop-types/count.js", "export function iterate(ctx) {\n  let x = ;\n}\n");
            DaemonProcess.await(Duration.ofSeconds(10), "a rejected reload",
                    () -> !daemon.audit("?result=rejected").isEmpty());

            JsonNode rejected = daemon.audit("?result=rejected").getFirst();
            assertThat(rejected.get("findings").get(0).get("text").asText())
                    .startsWith("loop-types/count.js:2:11: script does not compile: SyntaxError:");
            assertThat(generation(daemon)).isEqualTo(1);
            String stillRuns = daemon.submit("count", "{}", 0);
            daemon.awaitState(stillRuns, Duration.ofSeconds(30), "succeeded");

            daemon.file("loop-types/count.js", COUNT_JS.replace(">= 5", ">= 2"));
            DaemonProcess.await(Duration.ofSeconds(10), "generation 2", () -> generation(daemon) == 2);
        }
    }

    @Test
    void aRestartOnlyKeyRejectsTheWholeReloadAndNothingOfItIsApplied() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-loops = 100\n").start()) {
            String config = Files.readString(daemon.config);
            Files.writeString(daemon.config, config.replace("max-loops = 100", "max-loops = 7")
                    .replace("127.0.0.1:" + daemon.port, "127.0.0.1:" + (daemon.port + 1)));

            JsonNode event = JSON.readTree(daemon.post("/v1/reload", "").body());

            assertThat(event.get("result").asText()).isEqualTo("rejected");
            assertThat(event.get("reason").asText()).contains("restart taskd to apply: daemon.listen");
            assertThat(event.get("unsafe_changes")).extracting(change -> change.get("key").asText())
                    .containsExactly("daemon.listen");
            assertThat(daemon.json("/v1/status").get("limits").get("max_loops").asInt()).isEqualTo(100);
            assertThat(generation(daemon)).isEqualTo(1);
        }
    }

    @Test
    void theDryRunsVerdictAndDiffEqualWhatTheReloadThenDoes() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[reload]\nwatch = false\nresync-interval = \"1h\"\n")
                .file("loop-types/count.toml", COUNT).file("loop-types/count.js", COUNT_JS).start()) {
            String base = Files.readString(daemon.config);
            List<Runnable> edits = List.of(
                    () -> write(daemon.config, base.replace("watch = false", "watch = false\ndebounce = \"100ms\"")),
                    () -> write(home.resolve("loop-types/count.toml"), COUNT.replace("20", "25")),
                    () -> write(home.resolve("loop-types/count.toml"), COUNT.replace("20", "twenty")),
                    () -> write(home.resolve("loop-types/count.toml"), COUNT.replace("20", "26")),
                    () -> write(home.resolve("templates/extra.mustache"), "Extra {{iteration}}\n"),
                    () -> write(home.resolve("loop-types/count.js"), COUNT_JS.replace(">= 5", ">= 4")),
                    () -> write(daemon.config, base.replace("127.0.0.1:" + daemon.port, "0.0.0.0:" + daemon.port)),
                    () -> write(daemon.config, base),
                    () -> delete(home.resolve("templates/extra.mustache")));
            for (Runnable edit : edits) {
                edit.run();
                JsonNode plan = JSON.readTree(daemon.post("/v1/reload?dry_run=true", "").body());
                JsonNode event = JSON.readTree(daemon.post("/v1/reload", "").body());

                String expected = switch (plan.get("verdict").asText()) {
                    case "apply" -> "applied";
                    case "reject" -> "rejected";
                    default -> "unchanged";
                };
                assertThat(event.get("result").asText()).isEqualTo(expected);
                assertThat(event.get("changes")).isEqualTo(plan.get("changes"));
                if (expected.equals("applied")) {
                    assertThat(event.get("generation_after").asLong()).isEqualTo(plan.get("generation").asLong());
                }
            }
        }
    }

    @Test
    void everyKindOfSaveIsAppliedExactlyOnceAndABurstEndsOnTheLastWrite() throws Exception {
        Path mount = home.resolve("mounted");
        Files.createDirectories(mount.resolve("..2026_a"));
        Files.writeString(mount.resolve("..2026_a/mounted.toml"), "command = \"true\"\nmax-iterations = 1\n");
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_a"));
        Files.createSymbolicLink(mount.resolve("mounted.toml"), Path.of("..data/mounted.toml"));
        String extra = "";
        try (DaemonProcess daemon = new DaemonProcess(home, extra).file("loop-types/count.toml", COUNT)
                .file("loop-types/count.js", COUNT_JS)) {
            Files.writeString(daemon.config, Files.readString(daemon.config)
                    .replace("\"loop-types\"]", "\"loop-types\", \"mounted\"]"));
            daemon.start();
            Path type = home.resolve("loop-types/count.toml");

            Files.writeString(type, COUNT.replace("20", "21"));
            expectGeneration(daemon, 2);

            Path temporary = home.resolve("loop-types/.count.toml.tmp");
            Files.writeString(temporary, COUNT.replace("20", "22"));
            Files.move(temporary, type, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            expectGeneration(daemon, 3);

            Files.move(type, home.resolve("loop-types/count.toml~"), StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(type, COUNT.replace("20", "23"));
            expectGeneration(daemon, 4);

            Files.createDirectories(mount.resolve("..2026_b"));
            Files.writeString(mount.resolve("..2026_b/mounted.toml"), "command = \"true\"\nmax-iterations = 2\n");
            Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_b"));
            Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            expectGeneration(daemon, 5);
            assertThat(daemon.json("/v1/loop-types/mounted").get("max_iterations").asInt()).isEqualTo(2);

            int before = daemon.audit("?result=applied&limit=1000").size();
            for (int value = 101; value <= 200; value++) {
                Files.writeString(type, COUNT.replace("20", Integer.toString(value)));
                Thread.sleep(10);
            }
            DaemonProcess.await(Duration.ofSeconds(15), "the last write to be live",
                    () -> maxIterations(daemon, "count") == 200);
            Thread.sleep(1000);
            int reloads = daemon.audit("?result=applied&limit=1000").size() - before;
            assertThat(reloads).isBetween(1, 10);
            assertThat(maxIterations(daemon, "count")).isEqualTo(200);
            assertThat(daemon.audit("?result=failed")).isEmpty();
        }
    }

    @Test
    void auditVerifyPassesOnTheDaemonsLogAndFailsAfterALineIsEdited() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            for (int value = 1; value <= 3; value++) {
                String config = Files.readString(daemon.config);
                Files.writeString(daemon.config, config + "\n# edit " + value + "\n");
                assertThat(JSON.readTree(daemon.post("/v1/reload", "").body()).get("result").asText())
                        .isIn("applied", "unchanged");
            }
            Path log = home.resolve("data/audit.jsonl");
            assertThat(verify(log)).isZero();

            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            lines.set(0, lines.get(0).replace("\"trigger\":\"", "\"trigger\":\"x"));
            Files.write(log, lines);

            assertThat(verify(log)).isEqualTo(1);
        }
    }

    @Test
    void theEventStreamCarriesReloadsAndLoopLifecycle() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + daemon.port + "/v1/events")).build();
            var response = http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    response.get().body().forEach(lines::add);
                } catch (Exception e) {
                    lines.add("error " + e);
                }
            });
            DaemonProcess.await(Duration.ofSeconds(10), "the stream to open", () -> !lines.isEmpty());

            Files.writeString(daemon.config, Files.readString(daemon.config) + "\n[limits]\nmax-loops = 5\n");
            daemon.post("/v1/reload", "");
            String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(20), "succeeded");

            DaemonProcess.await(Duration.ofSeconds(10), "a reload and a finished loop on the stream",
                    () -> lines.stream().anyMatch(line -> line.equals("event:reload"))
                            && lines.stream().anyMatch(line -> line.contains("loop_finished") && line.contains(loop)));
            assertThat(lines.stream().filter(line -> line.startsWith("data:") && line.contains("\"result\":\"applied\""))
                    .findFirst()).hasValueSatisfying(data -> assertThat(data).contains("limits.max-loops"));
            reader.interrupt();
            response.cancel(true);
        }
    }

    @Test
    void aRemovedTypesRunningLoopsFinishOnTheirVersionAndAreReportedUntilTheyEnd() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/slowly.toml", """
                command = "sleep 0.5"
                max-iterations = 4
                delay = "0s"

                [validation]
                command = "false"
                """).start()) {
            String running = daemon.submit("slowly", "{}", 0);
            daemon.awaitState(running, Duration.ofSeconds(20), "running");

            Files.delete(home.resolve("loop-types/slowly.toml"));
            DaemonProcess.await(Duration.ofSeconds(10), "generation 2", () -> generation(daemon) == 2);

            JsonNode removed = daemon.json("/v1/loop-types/slowly");
            assertThat(removed.get("removed").asBoolean()).isTrue();
            assertThat(removed.get("draining_loops")).extracting(JsonNode::asText).containsExactly(running);
            assertThat(daemon.post("/v1/loops", "{\"type\":\"slowly\"}").statusCode()).isEqualTo(404);
            daemon.awaitState(running, Duration.ofSeconds(30), "failed");
            assertThat(daemon.json("/v1/loops/" + running).get("iterations").asInt()).isEqualTo(4);
            DaemonProcess.await(Duration.ofSeconds(5), "the type to be gone",
                    () -> daemon.statusOf("/v1/loop-types/slowly") == 404);
        }
    }


    private int verify(Path log) throws Exception {
        Process process = Cli.command(home, List.of("audit", "verify", "--file", log.toString()))
                .redirectErrorStream(true).redirectOutput(home.resolve("verify.txt").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static void expectGeneration(DaemonProcess daemon, long generation) throws Exception {
        DaemonProcess.await(Duration.ofSeconds(10), "generation " + generation,
                () -> generation(daemon) >= generation);
        Thread.sleep(700);
        assertThat(generation(daemon)).as("applied exactly once").isEqualTo(generation);
    }

    private static long generation(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/status").get("generation").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int count(DaemonProcess daemon, String state) {
        try {
            return daemon.json("/v1/status").get("loops").get(state).asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int maxIterations(DaemonProcess daemon, String type) {
        try {
            return daemon.json("/v1/loop-types/" + type).get("max_iterations").asInt();
        } catch (Exception e) {
            return -1;
        }
    }


    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
