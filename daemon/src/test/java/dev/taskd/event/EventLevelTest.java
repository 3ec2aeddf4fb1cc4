package dev.taskd.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.loop.LoopEvent;
import dev.taskd.store.IterationOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The level each event is logged at: a model's reply text only at DEBUG, troubles as warnings. */
class EventLevelTest {

    @Test
    void aModelsReplyIsLoggedAtDebugAndALoopsProgressAtInfo() {
        TaskdEvent reply = new TaskdEvent.Loop(new LoopEvent.LlmReplied("01J", 1, "local/qwen", "the whole reply", 0,
                10, 20, "ralph", "local", 0.0));
        TaskdEvent iteration = new TaskdEvent.Loop(new LoopEvent.IterationCompleted("01J", "hello", 1,
                IterationOutcome.PASSED, Duration.ofMillis(5), 1));

        assertThat(reply.level()).isEqualTo(TaskdEvent.Level.DEBUG);
        assertThat(reply.fields()).containsEntry("content", "the whole reply");
        assertThat(iteration.level()).isEqualTo(TaskdEvent.Level.INFO);
        assertThat(iteration.fields().keySet()).containsExactly("loop_id", "type", "iteration", "outcome",
                "duration_ms", "generation");
        assertThat(iteration.fields().get("duration_ms")).isInstanceOf(Long.class);
    }

    @Test
    void warningsAreLoggedAtWarn() {
        assertThat(new DaemonEvent.WatcherError("gone").level()).isEqualTo(TaskdEvent.Level.WARN);
        assertThat(new DaemonEvent.Stopped().level()).isEqualTo(TaskdEvent.Level.INFO);
    }
}
