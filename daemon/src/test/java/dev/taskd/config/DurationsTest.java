package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsEveryUnitAndCombinations() {
        assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("0s")).contains(Duration.ZERO);
    }

    @Test
    void refusesNumbersWithoutUnitsAndStrayText() {
        assertThat(Durations.parse("30")).isEmpty();
        assertThat(Durations.parse("5 m")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse("m")).isEmpty();
        assertThat(Durations.parse("1.5s")).isEmpty();
        assertThat(Durations.parse("-1s")).isEmpty();
        assertThat(Durations.parse("10sec")).isEmpty();
    }

    @Test
    void formatsTheShortestSpellingThatParsesBack() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(93_784_005)))).contains(Duration.ofMillis(93_784_005));
    }
}
