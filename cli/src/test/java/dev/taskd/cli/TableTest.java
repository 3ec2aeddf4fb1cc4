package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedToTheWidestCellAndTheLastIsNot() {
        Table table = new Table("ID", "TYPE", "STATE")
                .row("01J9Z3", "hello", "running")
                .row("01J9Z4", "retry-command", "queued");

        assertThat(table.lines()).containsExactly(
                "ID      TYPE           STATE",
                "01J9Z3  hello          running",
                "01J9Z4  retry-command  queued");
    }

    @Test
    void missingCellsPrintAsADashAndLineBreaksDoNotBreakTheTable() {
        Table table = new Table("A", "B", "C").row(null, "", 7).row("x", "two\nlines", null);

        assertThat(table.lines()).containsExactly(
                "A  B          C",
                "-  -          7",
                "x  two lines  -");
        assertThat(table.toString()).isEqualTo(String.join(System.lineSeparator(), table.lines()) + System.lineSeparator());
    }

    @Test
    void noLineEndsInBlanksEvenWhenTheLastCellIsShort() {
        Table table = new Table("NAME", "DESCRIPTION").row("a-very-long-name", "x");

        assertThat(table.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        assertThat(table.lines().get(1)).isEqualTo("a-very-long-name  x");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> new Table("A", "B").row("1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsReadWell() {
        assertThat(Format.duration(Duration.ofMillis(1234))).isEqualTo("1.2 s");
        assertThat(Format.duration(Duration.ofSeconds(125))).isEqualTo("2m 5s");
        assertThat(Format.duration(Duration.ofMinutes(125))).isEqualTo("2h 5m");
        assertThat(Format.duration(Duration.ofHours(27))).isEqualTo("1d 3h");
        assertThat(Format.between("2025-01-01T00:00:00Z", "2025-01-01T00:00:01.200Z")).isEqualTo("1.2 s");
        assertThat(Format.time("2025-01-01T00:00:00.123456Z")).isEqualTo("2025-01-01T00:00:00Z");
    }
}
