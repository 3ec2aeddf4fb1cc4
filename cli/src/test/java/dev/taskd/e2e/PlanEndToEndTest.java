package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preview before apply, as an operator uses it: manual apply mode holds what the watcher sees as
 * a pending plan; candidate files are previewed without touching the live ones; a saved plan
 * applies only as planned; {@code If-Match} guards reloads and rollbacks; and a running loop does
 * at its next iteration exactly what the dry run said.
 */
class PlanEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPLICIT = "[reload]\nwatch = false\nresync-interval = \"1d\"\n";

    @TempDir
    Path home;

    @Test
    void manualModeHoldsAnEditPendingShowsItAndAppliesItOnReload() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[reload]\napply = \"manual\"\ndebounce = \"50ms\"\n")
                .file("loop-types/a.toml", type("v1")).start()) {
            List<String> events = listen(daemon);
            long before = generation(daemon);

            daemon.file("loop-types/a.toml", type("v2"));
            DaemonProcess.await(Duration.ofSeconds(10), "a pending plan",
                    () -> pending(daemon).path("pending").asBoolean(false));
            Thread.sleep(3000);
            assertThat(generation(daemon)).as("nothing applies by itself in manual mode").isEqualTo(before);

            JsonNode pending = pending(daemon);
            assertThat(pending.get("verdict").asText()).isEqualTo("apply");
            assertThat(pending.get("summary").asText()).isEqualTo("1 key in 1 file, would apply");
            assertThat(pending.get("changes").toString()).contains("loop-types.a.description");
            assertThat(daemon.json("/v1/status").get("pending").asText()).isEqualTo("1 key in 1 file, would apply");
            DaemonProcess.await(Duration.ofSeconds(5), "a plan event", () -> events.stream()
                    .anyMatch(line -> line.equals("event:plan")));

            Cli.Result status = taskd(daemon, "status");
            assertThat(status.stdout()).contains("pending: 1 key in 1 file, would apply");
            Cli.Result preview = taskd(daemon, "reload", "--dry-run");
            assertThat(preview.exit()).isZero();
            assertThat(preview.stdout()).contains("would apply: generation " + before + " -> " + (before + 1))
                    .contains("-description = \"v1\"").contains("+description = \"v2\"");

            Cli.Result applied = taskd(daemon, "reload");
            assertThat(applied.exit()).as(applied.stderr()).isZero();
            assertThat(generation(daemon)).isEqualTo(before + 1);
            assertThat(pending(daemon).path("pending").asBoolean(true)).isFalse();
            assertThat(daemon.json("/v1/status").get("pending").isNull()).isTrue();
        }
    }

    @Test
    void candidateFilesArePreviewedWithoutTouchingTheLiveOnes() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT).file("loop-types/a.toml", type("v1")).start()) {
            long before = generation(daemon);
            int audited = daemon.audit("").size();
            Files.createDirectories(home.resolve("candidate/loop-types"));
            Files.writeString(home.resolve("candidate/loop-types/a.toml"), type("v2"));
            Files.writeString(home.resolve("b.new.toml"), "command = \"true\"\nmax-iterations = 3\n");

            Cli.Result fromDir = taskd(daemon, "reload", "--dry-run", "--from", "candidate");
            assertThat(fromDir.exit()).as(fromDir.stderr()).isZero();
            assertThat(fromDir.stdout()).contains("--- a/loop-types/a.toml").contains("+++ b/loop-types/a.toml")
                    .contains("-description = \"v1\"").contains("+description = \"v2\"")
                    .contains("loop-types.a.description").doesNotContain("\u001b[");

            Cli.Result oneFile = taskd(daemon, "reload", "--dry-run", "--file", "loop-types/b.toml=b.new.toml", "--json");
            JsonNode plan = JSON.readTree(oneFile.stdout());
            assertThat(plan.get("verdict").asText()).isEqualTo("apply");
            assertThat(plan.get("files").get(0).get("status").asText()).isEqualTo("added");
            assertThat(plan.get("changes").toString()).contains("\"key\":\"loop-types.b\",\"kind\":\"added\"");

            Cli.Result outside = taskd(daemon, "reload", "--dry-run", "--file", "secrets/x.toml=b.new.toml");
            assertThat(outside.exit()).as("a --file the daemon refuses is a usage error").isEqualTo(2);
            assertThat(outside.stderr()).contains("not laid out like the configuration");

            assertThat(Files.readString(home.resolve("loop-types/a.toml"))).isEqualTo(type("v1"));
            assertThat(Files.exists(home.resolve("loop-types/b.toml"))).isFalse();
            assertThat(generation(daemon)).isEqualTo(before);
            assertThat(daemon.audit("")).hasSize(audited);
        }
    }

    @Test
    void aSavedPlanAppliesOnlyAsPlanned() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT).file("loop-types/a.toml", type("v1"))
                .file("loop-types/c.toml", type("c1")).start()) {
            daemon.file("loop-types/a.toml", type("v2"));
            Cli.Result planned = taskd(daemon, "reload", "--dry-run", "--out", "plan.json");
            assertThat(planned.exit()).isZero();
            assertThat(planned.stderr()).contains("plan written to plan.json");

            daemon.file("loop-types/a.toml", type("v3"));
            Cli.Result fileMoved = taskd(daemon, "reload", "--plan", "plan.json");
            assertThat(fileMoved.exit()).isEqualTo(4);
            assertThat(fileMoved.stderr()).contains("loop-types/a.toml changed since the plan was made");

            daemon.file("loop-types/a.toml", type("v2"));
            long base = generation(daemon);
            daemon.file("loop-types/c.toml", type("c2"));
            assertThat(daemon.post("/v1/reload", null).statusCode()).isEqualTo(200);
            daemon.file("loop-types/c.toml", type("c1"));
            Cli.Result generationMoved = taskd(daemon, "reload", "--plan", "plan.json");
            assertThat(generationMoved.exit()).isEqualTo(4);
            assertThat(generationMoved.stderr()).contains("the running generation is " + (base + 1)
                    + ", the plan was made against " + base);
            assertThat(generation(daemon)).isEqualTo(base + 1);

            daemon.file("loop-types/c.toml", type("c3"));
            Cli.Result fresh = taskd(daemon, "reload", "--dry-run", "--out", "plan2.json");
            assertThat(fresh.exit()).isZero();
            Cli.Result applied = taskd(daemon, "reload", "--plan", "plan2.json");
            assertThat(applied.exit()).as(applied.stderr()).isZero();
            assertThat(applied.stdout()).contains("applied: generation " + (base + 1) + " -> " + (base + 2));
        }
    }

    @Test
    void ifMatchGuardsReloadAndRollback() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT).file("loop-types/a.toml", type("v1")).start()) {
            long before = generation(daemon);
            daemon.file("loop-types/a.toml", type("v2"));
            HttpResponse<String> stale = ifMatch(daemon, "/v1/reload", before + 5);
            assertThat(stale.statusCode()).isEqualTo(412);
            assertThat(stale.body()).contains("precondition_failed").contains("the running generation is " + before);
            assertThat(generation(daemon)).isEqualTo(before);

            assertThat(ifMatch(daemon, "/v1/reload", before).statusCode()).isEqualTo(200);
            assertThat(generation(daemon)).isEqualTo(before + 1);
            assertThat(daemon.get("/v1/config").headers().firstValue("ETag")).contains("\"" + (before + 1) + "\"");

            assertThat(ifMatch(daemon, "/v1/rollback", before).statusCode()).isEqualTo(412);
            assertThat(ifMatch(daemon, "/v1/rollback", before + 1).statusCode()).isEqualTo(200);
            assertThat(generation(daemon)).isEqualTo(before + 2);
        }
    }

    @Test
    void aPinnedLoopWhoseNewVersionSaysNextIterationAdoptsItWhenTheDryRunSaidSo() throws Exception {
        Path marks = home.resolve("marks.txt");
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT).file("loop-types/p.toml",
                marking("A", "pin", marks)).file("loop-types/q.toml", marking("X", "next-iteration", marks)).start()) {
            String p = daemon.submit("p", "{}", 0);
            String q = daemon.submit("q", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "both loops iterating", () -> count(marks, "A") >= 1
                    && count(marks, "X") >= 1);

            daemon.file("loop-types/p.toml", marking("B", "next-iteration", marks));
            daemon.file("loop-types/q.toml", marking("Y", "pin", marks));
            JsonNode plan = JSON.readTree(daemon.post("/v1/reload?dry_run=true", null).body());
            assertThat(effect(plan, p)).isEqualTo("adopts");
            assertThat(effect(plan, q)).isEqualTo("pinned");
            JsonNode event = JSON.readTree(daemon.post("/v1/reload", null).body());
            assertThat(effect(event, p)).isEqualTo("adopts");
            assertThat(effect(event, q)).isEqualTo("pinned");

            DaemonProcess.await(Duration.ofSeconds(20), "p to run its new version", () -> count(marks, "B") >= 2);
            int x = count(marks, "X");
            DaemonProcess.await(Duration.ofSeconds(20), "q to go on", () -> count(marks, "X") >= x + 2);
            assertThat(count(marks, "Y")).as("q keeps its version: the new one says pin").isZero();
            daemon.delete("/v1/loops/" + p);
            daemon.delete("/v1/loops/" + q);
        }
    }

    @Test
    void aLoopPausedAcrossAReloadDecidesByTheSameRuleWhenItResumes() throws Exception {
        Path marks = home.resolve("marks.txt");
        try (DaemonProcess daemon = new DaemonProcess(home, EXPLICIT).file("loop-types/n.toml",
                marking("A", "next-iteration", marks)).file("loop-types/p.toml", marking("X", "pin", marks)).start()) {
            String adopting = daemon.submit("n", "{}", 0);
            String pinned = daemon.submit("p", "{}", 0);
            DaemonProcess.await(Duration.ofSeconds(20), "both loops iterating", () -> count(marks, "A") >= 1
                    && count(marks, "X") >= 1);
            daemon.post("/v1/loops/" + adopting + "/pause", null);
            daemon.post("/v1/loops/" + pinned + "/pause", null);
            daemon.awaitState(adopting, Duration.ofSeconds(20), "paused");
            daemon.awaitState(pinned, Duration.ofSeconds(20), "paused");

            daemon.file("loop-types/n.toml", marking("B", "next-iteration", marks));
            daemon.file("loop-types/p.toml", marking("Y", "pin", marks));
            JsonNode event = JSON.readTree(daemon.post("/v1/reload", null).body());
            assertThat(event.get("result").asText()).isEqualTo("applied");
            daemon.post("/v1/loops/" + adopting + "/resume", null);
            daemon.post("/v1/loops/" + pinned + "/resume", null);

            DaemonProcess.await(Duration.ofSeconds(20), "the resumed loop to adopt", () -> count(marks, "B") >= 2);
            int x = count(marks, "X");
            DaemonProcess.await(Duration.ofSeconds(20), "the pinned loop to go on", () -> count(marks, "X") >= x + 2);
            assertThat(count(marks, "Y")).isZero();
            daemon.delete("/v1/loops/" + adopting);
            daemon.delete("/v1/loops/" + pinned);
        }
    }

    private Cli.Result taskd(DaemonProcess daemon, String... args) throws Exception {
        return Cli.run(home, daemon.port, args);
    }

    /** The lines of {@code GET /v1/events} as they arrive, read on a thread of their own. */
    private static List<String> listen(DaemonProcess daemon) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port + "/v1/events"))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(lines::add));
        DaemonProcess.await(Duration.ofSeconds(5), "the event stream to open", () -> !lines.isEmpty());
        return lines;
    }

    private static HttpResponse<String> ifMatch(DaemonProcess daemon, String path, long generation) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port + path))
                .header("If-Match", "\"" + generation + "\"").POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode pending(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/reload/pending");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long generation(DaemonProcess daemon) throws Exception {
        return daemon.json("/v1/status").get("generation").asLong();
    }

    private static String effect(JsonNode planOrEvent, String loopId) {
        for (JsonNode loop : planOrEvent.path("loops")) {
            if (loop.path("loop_id").asText().equals(loopId)) {
                return loop.path("effect").asText();
            }
        }
        return "none";
    }

    private static String type(String description) {
        return "description = \"" + description + "\"\ncommand = \"true\"\n";
    }

    private static String marking(String mark, String onReload, Path marks) {
        return """
                on-reload = "%s"
                max-iterations = 200
                delay = "200ms"
                command = "echo %s >> %s; exit 1"
                """.formatted(onReload, mark, marks);
    }

    private static int count(Path file, String mark) {
        try {
            return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(mark::equals).count() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
