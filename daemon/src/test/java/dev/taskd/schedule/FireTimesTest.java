package dev.taskd.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.config.ScheduleSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FireTimesTest {

    @Test
    void anIntervalFiresOnItsMultiplesFromMidnight() {
        ScheduleSettings every = every("10m", "UTC");
        assertThat(FireTimes.next(every, Instant.parse("2026-12-01T14:03:10Z"))).contains(Instant.parse("2026-12-01T14:10:00Z"));
        assertThat(FireTimes.next(every, Instant.parse("2026-12-01T14:10:00Z"))).contains(Instant.parse("2026-12-01T14:20:00Z"));
        assertThat(FireTimes.latest(every, Instant.parse("2026-12-01T14:10:00Z"))).contains(Instant.parse("2026-12-01T14:10:00Z"));
        assertThat(FireTimes.latest(every, Instant.parse("2026-12-01T14:19:59Z"))).contains(Instant.parse("2026-12-01T14:10:00Z"));
    }

    @Test
    void aDailyIntervalCountsFromTheZonesMidnight() {
        assertThat(FireTimes.next(every("1d", "Asia/Kolkata"), Instant.parse("2026-12-01T12:00:00Z")))
                .contains(Instant.parse("2026-12-01T18:30:00Z"));
    }

    @Test
    void aCronExpressionIsReadInItsZone() {
        ScheduleSettings cron = cron("30 3 * * *", "Europe/Berlin");
        assertThat(FireTimes.next(cron, Instant.parse("2026-12-01T00:00:00Z"))).contains(Instant.parse("2026-12-01T02:30:00Z"));
        assertThat(FireTimes.next(cron, Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T01:30:00Z"));
        ScheduleSettings fives = cron("*/5 * * * *", "UTC");
        assertThat(FireTimes.next(fives, Instant.parse("2026-12-01T14:03:30Z"))).contains(Instant.parse("2026-12-01T14:05:00Z"));
        assertThat(FireTimes.latest(fives, Instant.parse("2026-12-01T14:05:00Z"))).contains(Instant.parse("2026-12-01T14:05:00Z"));
        assertThat(FireTimes.latest(fives, Instant.parse("2026-12-01T14:09:59Z"))).contains(Instant.parse("2026-12-01T14:05:00Z"));
    }

    @Test
    void aPlanNamesTheNextFireBeforeAndAfter() {
        List<ScheduleChange> changes = ScheduleChange.between(Map.of("s", every("5m", "UTC"), "gone", every("1h", "UTC")),
                Map.of("s", every("10m", "UTC"), "new", cron("0 3 * * *", "UTC")), Instant.parse("2026-12-01T14:03:00Z"));
        assertThat(changes).extracting(ScheduleChange::name).containsExactly("gone", "new", "s");
        assertThat(changes.get(2).summary()).isEqualTo("changed, every 10m: next fire 2026-12-01 14:05 UTC → 14:10 UTC");
        assertThat(changes.get(1).summary()).isEqualTo("added, cron \"0 3 * * *\" (UTC): next fire none → 2026-12-02 03:00 UTC");
        assertThat(changes.get(0).summary()).isEqualTo("removed, every 1h: next fire 2026-12-01 15:00 UTC → none");
    }

    static ScheduleSettings every(String interval, String zone) {
        return new ScheduleSettings("s", "fix", Map.of(), "", parse(interval), ZoneId.of(zone),
                ScheduleSettings.Overlap.SKIP, ScheduleSettings.CatchUp.NONE);
    }

    static ScheduleSettings cron(String expression, String zone) {
        return new ScheduleSettings("s", "fix", Map.of(), expression, null, ZoneId.of(zone),
                ScheduleSettings.Overlap.SKIP, ScheduleSettings.CatchUp.NONE);
    }

    private static Duration parse(String interval) {
        return switch (interval) {
            case "5m" -> Duration.ofMinutes(5);
            case "10m" -> Duration.ofMinutes(10);
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException(interval);
        };
    }
}
