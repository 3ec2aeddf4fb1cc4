package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop's output as it is written, against the real daemon: {@code GET /v1/loops/{id}/output}
 * and {@code taskd logs --follow} get {@code tick1} while the command still sleeps before
 * {@code tick2}; a reconnect with {@code Last-Event-ID} gets the rest and nothing twice;
 * {@code ?iteration=N} and {@code taskd logs --iteration N} replay a finished iteration.
 */
class OutputEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKS = "{\"command\":\"echo tick1; sleep 5; echo tick2\",\"check\":\"true\"}";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void theStreamDeliversTick1WhileTheCommandSleepsAndAReconnectGetsOnlyTheRest() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            String loop = daemon.submit("retry-command", TICKS, 0);
            String path = "/v1/loops/" + loop + "/output";
            SseClient.Sse tick1;
            try (SseClient first = SseClient.open(daemon, path, null)) {
                tick1 = first.await(WAIT, "tick1 on the output stream", e -> e.data().contains("tick1"));
                assertThat(daemon.state(loop)).isEqualTo("running");
                assertThat(first.events()).noneMatch(e -> e.data().contains("tick2"));
            }
            JsonNode chunk = JSON.readTree(tick1.data());
            assertThat(chunk.get("iteration").asInt()).isEqualTo(1);
            assertThat(chunk.get("command").asText()).isEqualTo("action");
            assertThat(chunk.get("stream").asText()).isEqualTo("stdout");
            assertThat(chunk.get("offset").asLong()).isZero();
            assertThat(tick1.id()).isEqualTo("1/action/stdout/6");

            try (SseClient again = SseClient.open(daemon, path, tick1.id())) {
                DaemonProcess.await(WAIT, "the stream to end with the loop", again::ended);
                assertThat(daemon.state(loop)).isEqualTo("succeeded");
                assertThat(text(again.events())).isEqualTo("tick2\n");
                assertThat(JSON.readTree(again.events().getFirst().data()).get("offset").asLong()).isEqualTo(6);
            }
        }
    }

    @Test
    void aFinishedIterationIsReplayedAsEventsAndAsPlainText() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            String loop = daemon.submit("retry-command", "{\"command\":\"echo one; echo two >&2\",\"check\":\"true\"}", 0);
            daemon.awaitState(loop, WAIT, "succeeded");
            try (SseClient replay = SseClient.open(daemon, "/v1/loops/" + loop + "/output?iteration=1", null)) {
                DaemonProcess.await(WAIT, "the replay to end", replay::ended);
                assertThat(text(replay.events())).isEqualTo("one\ntwo\n");
            }
            assertThat(daemon.get("/v1/loops/" + loop + "/output?iteration=1&follow=false").body())
                    .isEqualTo("one\ntwo\n");
            assertThat(Cli.run(home, daemon.port, "logs", loop, "--iteration", "1").stdout()).isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void badParametersAreNamedAndAnUnknownLoopIsNotFound() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            daemon.awaitState(loop, WAIT, "succeeded");
            String output = "/v1/loops/" + loop + "/output";
            assertThat(daemon.get(output + "?iteration=x").statusCode()).isEqualTo(400);
            assertThat(daemon.get(output + "?iteration=x").body()).contains("iteration");
            assertThat(daemon.get(output + "?follow=maybe").body()).contains("follow");
            assertThat(daemon.get(output + "?command=build").body()).contains("command");
            assertThat(daemon.get("/v1/loops/nosuchloop/output").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void logsFollowPrintsTick1BeforeTick2IsWrittenAndExitsWithTheOutcome() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            String loop = daemon.submit("retry-command", TICKS, 0);
            Process logs = Cli.command(home, List.of("logs", loop, "--follow", "--url", "http://127.0.0.1:" + daemon.port))
                    .redirectError(Files.createTempFile(home, "err", ".txt").toFile()).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(logs.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    out.lines().forEach(lines::add);
                } catch (Exception e) {
                    // the process ended
                }
            });
            try {
                DaemonProcess.await(WAIT, "tick1 from taskd logs --follow", () -> lines.contains("tick1"));
                assertThat(daemon.state(loop)).isEqualTo("running");
                assertThat(lines).doesNotContain("tick2");
                assertThat(logs.waitFor(30, TimeUnit.SECONDS)).as("taskd logs --follow ends with the loop").isTrue();
                reader.join(Duration.ofSeconds(5));
                assertThat(logs.exitValue()).isZero();
                assertThat(lines).containsExactly("tick1", "tick2");
            } finally {
                logs.destroyForcibly();
            }
        }
    }

    @Test
    void logsFollowExitsWithOneWhenTheLoopFails() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "")) {
            daemon.file("loop-types/once.toml", """
                    description = "Runs its command once"
                    command = "echo failing; exit 3"
                    max-iterations = 1
                    iteration-timeout = "1m"
                    """).start();
            String loop = daemon.submit("once", "{}", 0);
            Cli.Result result = Cli.run(home, daemon.port, "logs", loop, "--follow");
            assertThat(result.exit()).as(result.stderr()).isEqualTo(1);
            assertThat(result.stdout()).isEqualTo("failing\n");
        }
    }

    private static String text(List<SseClient.Sse> events) throws Exception {
        StringBuilder text = new StringBuilder();
        for (SseClient.Sse event : events) {
            text.append(JSON.readTree(event.data()).get("text").asText());
        }
        return text.toString();
    }
}
