package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/events} against the real daemon: ids that only grow across restarts (clean and
 * {@code kill -9}), {@code Last-Event-ID} replaying exactly what a client missed, and a
 * {@code reset} event when the daemon cannot.
 */
class EventsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void idsKeepGrowingAcrossACleanStopAndAKill9() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "")) {
            daemon.start();
            long firstRun = submittedEventId(daemon);

            daemon.signal("TERM");
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
            daemon.start();
            long secondRun = submittedEventId(daemon);

            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));
            daemon.start();
            long thirdRun = submittedEventId(daemon);

            assertThat(secondRun).as("after SIGTERM").isGreaterThan(firstRun);
            assertThat(thirdRun).as("after kill -9").isGreaterThan(secondRun);
        }
    }

    @Test
    void everyEventHasAGrowingIdAndTheStreamSaysHowLongToWaitBeforeReconnecting() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             SseClient stream = SseClient.open(daemon, null)) {
            String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            stream.await(WAIT, "the loop to finish on the stream", e -> e.data().contains("loop_finished")
                    && e.data().contains(loop));

            List<SseClient.Sse> events = stream.events();
            assertThat(stream.retries()).containsExactly("2000");
            assertThat(events).allSatisfy(event -> assertThat(event.id()).as(event.toString()).isNotNull());
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).number()).isGreaterThan(events.get(i - 1).number());
            }
        }
    }

    @Test
    void aLoopEventCarriesItsNumbersAsJsonNumbers() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             SseClient stream = SseClient.open(daemon, null)) {
            String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            SseClient.Sse completed = stream.await(WAIT, "the iteration on the stream",
                    e -> e.data().contains("iteration_completed") && e.data().contains(loop));

            JsonNode data = JSON.readTree(completed.data());
            assertThat(completed.event()).isEqualTo("loop");
            assertThat(data.get("loop_id").asText()).isEqualTo(loop);
            assertThat(data.get("iteration").isIntegralNumber()).as(data.toString()).isTrue();
            assertThat(data.get("iteration").asInt()).isEqualTo(1);
            assertThat(data.get("duration_ms").isIntegralNumber()).as(data.toString()).isTrue();
            assertThat(data.get("generation").isIntegralNumber()).as(data.toString()).isTrue();
            assertThat(data.get("outcome").asText()).isEqualTo("passed");
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsExactlyTheEventsItMissed() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             SseClient witness = SseClient.open(daemon, null)) {
            long seen;
            try (SseClient first = SseClient.open(daemon, null)) {
                String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
                first.await(WAIT, "the first loop on the stream", e -> e.data().contains(loop));
                seen = first.lastId();
            }
            for (int i = 0; i < 5; i++) {
                daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            }
            DaemonProcess.await(WAIT, "five more submissions on the witness stream", () -> witness.events().stream()
                    .filter(e -> e.number() > seen && e.data().contains("loop_submitted")).count() == 5);
            List<SseClient.Sse> missed = witness.events().stream().filter(e -> e.number() > seen).toList();
            long upTo = missed.getLast().number();

            try (SseClient again = SseClient.open(daemon, Long.toString(seen))) {
                DaemonProcess.await(WAIT, "the replay to reach " + upTo, () -> again.lastId() >= upTo);

                assertThat(again.events().stream().filter(e -> e.number() <= upTo).toList())
                        .as("replayed after Last-Event-ID " + seen).isEqualTo(missed);
                assertThat(again.events()).noneMatch(e -> e.event().equals("reset"));
            }
        }
    }

    @Test
    void anIdFromBeforeTheRestartOrFromTheFutureGetsAResetThenLiveEvents() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "")) {
            daemon.start();
            long old;
            try (SseClient stream = SseClient.open(daemon, null)) {
                daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
                stream.await(WAIT, "a submission on the stream", e -> e.data().contains("loop_submitted"));
                old = stream.lastId();
                daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
                DaemonProcess.await(WAIT, "a later event", () -> stream.lastId() > old);
            }
            daemon.signal("KILL");
            daemon.awaitExit(Duration.ofSeconds(10));
            daemon.start();

            try (SseClient stale = SseClient.open(daemon, Long.toString(old));
                 SseClient future = SseClient.open(daemon, "99999999999")) {
                SseClient.Sse reset = stale.await(WAIT, "a reset", e -> e.event().equals("reset"));
                JsonNode data = JSON.readTree(reset.data());
                assertThat(data.get("reason").asText()).contains("Last-Event-ID " + old, "before this daemon started");
                assertThat(data.get("last_event_id").asLong()).isEqualTo(old);
                assertThat(data.has("oldest_id")).isTrue();
                assertThat(stale.events().getFirst()).as("the reset comes first").isEqualTo(reset);

                String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
                SseClient.Sse live = stale.await(WAIT, "a live event after the reset", e -> e.data().contains(loop));
                assertThat(live.number()).isGreaterThan(reset.number()).isGreaterThan(old);

                SseClient.Sse ahead = future.await(WAIT, "a reset for an id never sent", e -> e.event().equals("reset"));
                assertThat(JSON.readTree(ahead.data()).get("reason").asText()).contains("newer than any event sent");
            }
        }
    }

    @Test
    void anUnparsableLastEventIdIsA400NamingIt() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (String id : List.of("abc", "-5", "1.5")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + daemon.port + "/v1/events"))
                        .header("Last-Event-ID", id).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).as(id).isEqualTo(400);
                assertThat(JSON.readTree(response.body()).get("message").asText()).contains("Last-Event-ID '" + id + "'");
            }
        }
    }

    /** Submits a loop and answers the id of its {@code loop_submitted} event. */
    private static long submittedEventId(DaemonProcess daemon) throws Exception {
        try (SseClient stream = SseClient.open(daemon, null)) {
            String loop = daemon.submit("retry-command", "{\"command\":\"true\",\"check\":\"true\"}", 0);
            return stream.await(WAIT, "loop_submitted of " + loop, e -> e.data().contains("loop_submitted")
                    && e.data().contains(loop)).number();
        }
    }
}
