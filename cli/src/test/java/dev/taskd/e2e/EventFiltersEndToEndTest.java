package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/events?type=&loop=} against the real daemon, as a program watching one loop would
 * use it: only the events asked for, live and on replay, each with a time and typed values.
 */
class EventFiltersEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSING = "{\"command\":\"true\",\"check\":\"true\"}";

    @TempDir
    Path home;

    @Test
    void aFilteredStreamGetsOnlyTheNamedEventsOfTheNamedLoopLiveAndOnReplay() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             SseClient witness = SseClient.open(daemon, null)) {
            // the watched loop's command takes a second, so its iteration ends after the filtered stream opened
            String watched = daemon.submit("retry-command", "{\"command\":\"sleep 1\",\"check\":\"true\"}", 0);
            List<SseClient.Sse> live;
            try (SseClient filtered = SseClient.open(daemon, "/v1/events?type=iteration_completed,loop_finished&loop=" + watched,
                    null);
                 SseClient reloads = SseClient.open(daemon, "/v1/events?type=reload", null)) {
                String other = daemon.submit("retry-command", PASSING, 0);
                filtered.await(WAIT, "the watched loop to finish", e -> e.data().contains("loop_finished"));
                witness.await(WAIT, "the other loop to finish", e -> e.data().contains("loop_finished")
                        && e.data().contains(other));
                assertThat(daemon.post("/v1/reload", "").statusCode()).isEqualTo(200);
                SseClient.Sse reload = reloads.await(WAIT, "the reload on the stream", e -> e.event().equals("reload"));

                live = filtered.events();
                assertThat(live).extracting(e -> JSON.readTree(e.data()).get("event").asText())
                        .containsExactly("iteration_completed", "loop_finished");
                assertThat(live).allSatisfy(e -> assertThat(JSON.readTree(e.data()).get("loop_id").asText())
                        .isEqualTo(watched));
                assertThat(reloads.events()).containsExactly(reload);
                JsonNode reloadData = JSON.readTree(reload.data());
                assertThat(reloadData.get("generation_after").isIntegralNumber()).as(reload.data()).isTrue();
                assertThat(reloadData.get("duration_ms").isIntegralNumber()).as(reload.data()).isTrue();
            }
            assertThat(witness.events()).allSatisfy(e -> assertThat(Instant.parse(JSON.readTree(e.data())
                    .get("at").asText())).as(e.toString()).isNotNull());

            long before = witness.events().getFirst().number() - 1;
            try (SseClient replay = SseClient.open(daemon, "/v1/events?type=loop_finished&type=iteration_completed&loop="
                    + watched.toLowerCase(), Long.toString(before))) {
                DaemonProcess.await(WAIT, "the replay of the watched loop",
                        () -> replay.events().size() >= live.size());
                assertThat(replay.events()).as("replayed from " + before).isEqualTo(live);
            }
        }
    }

    @Test
    void anUnknownParameterOrABadValueIsA400NamingIt() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            record Case(String query, Set<String> named) {
            }
            for (Case bad : List.of(new Case("loops=01J", Set.of("unknown parameter 'loops'", "did you mean 'loop'")),
                    new Case("type=iteration_complete", Set.of("'iteration_complete'", "'iteration_completed'")),
                    new Case("type=loop,", Set.of("type= has an empty value")),
                    new Case("loop=nope", Set.of("loop 'nope' is not a loop id")))) {
                HttpResponse<String> response = daemon.get("/v1/events?" + bad.query());

                assertThat(response.statusCode()).as(bad.query()).isEqualTo(400);
                assertThat(JSON.readTree(response.body()).get("message").asText()).as(bad.query())
                        .contains(bad.named());
            }
        }
    }
}
