package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules as an operator uses them, with one daemon: an {@code every = "2s"} schedule submits
 * a loop at each fire time, each loop names its schedule, {@code taskd schedules list} shows the
 * next fire, a dry run shows what a change does to the next fire time, overlap = "skip" skips
 * while the previous loop runs, and once the schedule's removal is reloaded no loop follows. With
 * overlap = "queue" a fire waits for the previous loop to end; with catch-up = "last" a restart
 * fires the latest time it missed, once.
 */
class SchedulesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELOAD = "[reload]\nwatch = false\nresync-interval = \"1d\"\n";
    private static final String TICK = """
            [schedules.tick]
            type = "tick"
            inputs = { label = "nightly" }
            every = "2s"
            """;
    private static final String SLOW = """
            [schedules.slow]
            type = "slow"
            every = "1s"
            overlap = "skip"
            """;

    /** What the JSON log line of a caught-up fire holds: a top-level boolean field. */
    private static final String CAUGHT_UP = "\"catch_up\":true";

    @TempDir
    Path home;

    @Test
    void aScheduleFiresOnTimeShowsInPlansAndStopsOnceItsRemovalIsReloaded() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, RELOAD + TICK + SLOW)
                .file("loop-types/tick.toml", "inputs = [\"label\"]\ncommand = \"true\"\nmax-iterations = 1\n"
                        + "[validation]\ncommand = \"true\"\n")
                .file("loop-types/slow.toml", "command = \"sleep 2.5\"\nmax-iterations = 1\n").start()) {
            DaemonProcess.await(Duration.ofSeconds(10), "two loops of the tick schedule",
                    () -> loops(daemon, "tick").size() >= 2);
            List<JsonNode> ticks = loops(daemon, "tick");
            for (JsonNode loop : ticks) {
                long created = Instant.parse(loop.get("created_at").asText()).toEpochMilli();
                assertThat(created % 2000).as("created at a fire time (an even second), at most 1 s late: "
                        + loop.get("created_at").asText()).isLessThan(1000);
                assertThat(loop.get("inputs").get("label").asText()).isEqualTo("nightly");
            }
            String first = ticks.getLast().get("id").asText();
            assertThat(daemon.json("/v1/loops/" + first).get("schedule").asText()).isEqualTo("tick");
            Cli.Result shown = Cli.run(home, daemon.port, "loops", "show", first);
            assertThat(shown.stdout()).containsPattern("schedule:\\s+tick");

            Cli.Result listed = Cli.run(home, daemon.port, "schedules", "list");
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout()).contains("tick", "every 2s", "slow", "skip");
            JsonNode slow = schedule(daemon, "slow");
            assertThat(slow.get("skipped").asLong()).as("a 1 s schedule of 2.5 s loops skips").isPositive();
            assertThat(schedule(daemon, "tick").get("next_fire").asText()).isNotEmpty();

            Files.writeString(daemon.config, Files.readString(daemon.config).replace("every = \"2s\"", "every = \"1h\""));
            Cli.Result plan = Cli.run(home, daemon.port, "reload", "--dry-run");
            assertThat(plan.exit()).as(plan.stderr()).isZero();
            assertThat(plan.stdout()).contains("schedules.tick.every").contains("schedule tick: changed, every 1h: next fire ")
                    .contains(" → ");
            JsonNode json = JSON.readTree(Cli.run(home, daemon.port, "reload", "--dry-run", "--json").stdout());
            assertThat(json.get("schedules").get(0).get("name").asText()).isEqualTo("tick");
            assertThat(Duration.between(Instant.parse(json.get("schedules").get(0).get("next_fire_before").asText()),
                    Instant.parse(json.get("schedules").get(0).get("next_fire_after").asText())))
                    .as("the next fire moves from within 2 s to the next full hour").isPositive();

            Files.writeString(daemon.config, Files.readString(daemon.config).replace(TICK.replace("2s", "1h"), ""));
            Cli.Result removed = Cli.run(home, daemon.port, "reload");
            assertThat(removed.exit()).as(removed.stderr()).isZero();
            assertThat(removed.stdout()).contains("applied");
            Thread.sleep(500);
            int afterRemoval = loops(daemon, "tick").size();
            Thread.sleep(3000);
            assertThat(loops(daemon, "tick")).as("no fire after the removal was applied").hasSize(afterRemoval);
            assertThat(Cli.run(home, daemon.port, "schedules", "list").stdout()).doesNotContain("tick");
        }
    }

    @Test
    void aRestartFiresTheLatestMissedTimeOnceAndAQueuedFireWaitsForThePreviousLoop() throws Exception {
        String schedules = RELOAD + """
                [schedules.missed]
                type = "tick"
                inputs = { label = "x" }
                every = "2s"
                catch-up = "last"

                [schedules.waits]
                type = "slow"
                every = "1s"
                overlap = "queue"
                """;
        try (DaemonProcess daemon = new DaemonProcess(home, schedules)
                .file("loop-types/tick.toml", "inputs = [\"label\"]\ncommand = \"true\"\nmax-iterations = 1\n")
                .file("loop-types/slow.toml", "command = \"sleep 1.5\"\nmax-iterations = 1\n").start()) {
            DaemonProcess.await(Duration.ofSeconds(10), "two loops of the queued schedule",
                    () -> loops(daemon, "slow").size() >= 2 && loops(daemon, "tick").size() >= 1);
            List<JsonNode> slow = loops(daemon, "slow");
            daemon.awaitState(slow.get(1).get("id").asText(), Duration.ofSeconds(10), "running", "succeeded");
            JsonNode first = daemon.json("/v1/loops/" + slow.get(0).get("id").asText());
            JsonNode second = daemon.json("/v1/loops/" + slow.get(1).get("id").asText());
            assertThat(Instant.parse(second.get("created_at").asText()))
                    .as("the queued fire waited for the previous loop to end")
                    .isAfterOrEqualTo(Instant.parse(first.get("updated_at").asText()));

            int before = loops(daemon, "tick").size();
            daemon.signal("TERM");
            assertThat(daemon.awaitExit(Duration.ofSeconds(20))).isZero();
            Thread.sleep(3000);
            daemon.start();
            DaemonProcess.await(Duration.ofSeconds(5), "the caught-up fire",
                    () -> daemon.logText().contains(CAUGHT_UP));
            assertThat(loops(daemon, "tick").size()).isGreaterThan(before);
            assertThat(daemon.logText().split(Pattern.quote(CAUGHT_UP), -1)).as("one catch-up fire").hasSize(2);
        }
    }

    private static List<JsonNode> loops(DaemonProcess daemon, String type) {
        try {
            List<JsonNode> loops = new ArrayList<>();
            daemon.json("/v1/loops?type=" + type).get("loops").forEach(loops::add);
            return loops;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode schedule(DaemonProcess daemon, String name) throws Exception {
        for (JsonNode schedule : daemon.json("/v1/schedules").get("schedules")) {
            if (schedule.get("name").asText().equals(name)) {
                return schedule;
            }
        }
        throw new AssertionError("no schedule " + name);
    }
}
