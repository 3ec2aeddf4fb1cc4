package dev.taskd.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.taskd.store.IterationOutcome;
import dev.taskd.store.LoopState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopEventTest {

    @Test
    void aCompletedIterationKeepsItsNamesAndCarriesNumbersAsNumbers() {
        LoopEvent event = new LoopEvent.IterationCompleted("01L", "hello", 3, IterationOutcome.TIMED_OUT,
                Duration.ofMillis(1500), 7);
        assertThat(event.name()).isEqualTo("iteration_completed");
        assertThat(event.fields()).containsExactly(
                entry("type", "hello"),
                entry("iteration", 3),
                entry("outcome", "timed_out"),
                entry("duration_ms", 1500L),
                entry("generation", 7L));
    }

    @Test
    void aSuccessWithoutAResultFinishesWithAnEmptyReason() {
        LoopEvent event = new LoopEvent.Finished("01L", LoopState.SUCCEEDED, null);
        assertThat(event.name()).isEqualTo("loop_finished");
        assertThat(event.fields()).containsEntry("state", "succeeded").containsEntry("reason", "");
    }

    @Test
    void namesListsOneNamePerKindOfEvent() {
        assertThat(LoopEvent.NAMES).doesNotHaveDuplicates()
                .hasSize(LoopEvent.class.getPermittedSubclasses().length)
                .contains(new LoopEvent.Errored("01L", "boom").name(), new LoopEvent.Blocked("01L", "t").name());
    }
}
