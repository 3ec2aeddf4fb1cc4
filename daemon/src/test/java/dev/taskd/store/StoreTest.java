package dev.taskd.store;

import static dev.taskd.store.Loops.iteration;
import static dev.taskd.store.Loops.loop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract, on SQLite here and on PostgreSQL in {@link PostgresStoreTest}. */
class StoreTest {

    @TempDir
    Path dataDir;

    Store store;

    /** Opens the store of this test, or opens it again after a close, with everything it held. */
    Store openStore() {
        return Store.open(dataDir.resolve("data"));
    }

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aLoopAndItsIterationsReadBackAsWritten() {
        LoopRecord written = loop("01AAA");
        store.insertLoop(written);
        store.recordIteration(iteration("01AAA", 1));
        IterationRecord second = new IterationRecord("01AAA", 2, Loops.T0, Loops.T0.plusMillis(1),
                IterationOutcome.PASSED, null, null, 8, 0, 0, "none");
        store.recordIteration(second);

        LoopRecord read = store.loop("01AAA").orElseThrow();
        assertThat(read).usingRecursiveComparison()
                .ignoringFields("iterations", "updatedAt").isEqualTo(written);
        assertThat(read.iterations()).isEqualTo(2);
        assertThat(store.iterations("01AAA")).containsExactly(iteration("01AAA", 1), second);
        assertThat(store.loop("01NOPE")).isEmpty();
    }

    @Test
    void savedStateJsonReplacesThePreviousOne() {
        store.insertLoop(loop("01AAA"));
        store.saveState("01AAA", "{\"attempt\":3}");
        assertThat(store.loop("01AAA").orElseThrow().stateJson()).isEqualTo("{\"attempt\":3}");
        assertThatThrownBy(() -> store.saveState("01NOPE", "{}"))
                .isInstanceOf(StoreException.class).hasMessageContaining("01NOPE");
    }

    @Test
    void aStateChangeHappensOnlyFromTheExpectedState() {
        store.insertLoop(loop("01AAA"));
        assertThat(store.updateLoopState("01AAA", LoopState.QUEUED, LoopState.RUNNING, null))
                .isTrue();
        assertThat(store.updateLoopState("01AAA", LoopState.RUNNING, LoopState.SUCCEEDED, "green"))
                .isTrue();
        assertThat(store.updateLoopState("01AAA", LoopState.RUNNING, LoopState.FAILED, "late"))
                .as("a loop cannot finish twice").isFalse();
        assertThat(store.updateLoopState("01NOPE", LoopState.QUEUED, LoopState.RUNNING, null))
                .isFalse();

        LoopRecord read = store.loop("01AAA").orElseThrow();
        assertThat(read.state()).isEqualTo(LoopState.SUCCEEDED);
        assertThat(read.reason()).isEqualTo("green");
    }

    @Test
    void anIterationCannotBeRecordedTwice() {
        store.insertLoop(loop("01AAA"));
        store.recordIteration(iteration("01AAA", 1));
        store.recordIteration(iteration("01AAA", 2));

        assertThatThrownBy(() -> store.recordIteration(iteration("01AAA", 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("iteration 1 of loop 01AAA")
                .hasMessageContaining("already recorded")
                .hasCauseInstanceOf(java.sql.SQLException.class);
        assertThat(store.loop("01AAA").orElseThrow().iterations())
                .as("count unchanged").isEqualTo(2);
        assertThat(store.iterations("01AAA")).hasSize(2);
    }

    @Test
    void anIterationOfAnUnknownLoopIsRejected() {
        assertThatThrownBy(() -> store.recordIteration(iteration("01NOPE", 1)))
                .isInstanceOf(StoreException.class).hasMessageContaining("01NOPE")
                .hasMessageContaining("no such loop");
    }

    @Test
    void aDuplicateLoopIdIsRejectedWithTheId() {
        store.insertLoop(loop("01AAA"));
        assertThatThrownBy(() -> store.insertLoop(loop("01AAA")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("01AAA").hasMessageContaining("already exists");
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        store.insertLoop(loop("01AAA"));
        store.recordIteration(iteration("01AAA", 1));
        store.updateLoopState("01AAA", LoopState.QUEUED, LoopState.RUNNING, null);
        store.saveState("01AAA", "{\"attempt\":1}");
        store.close();

        store = openStore();
        LoopRecord read = store.loop("01AAA").orElseThrow();
        assertThat(read.state()).isEqualTo(LoopState.RUNNING);
        assertThat(read.iterations()).isEqualTo(1);
        assertThat(read.stateJson()).isEqualTo("{\"attempt\":1}");
        assertThat(store.iterations("01AAA")).containsExactly(iteration("01AAA", 1));
    }

    @Test
    void writesAfterCloseAreRefused() {
        store.close();
        assertThatThrownBy(() -> store.insertLoop(loop("01AAA")))
                .isInstanceOf(StoreException.class).hasMessage("store is closed");
        assertThatThrownBy(() -> store.loop("01AAA"))
                .isInstanceOf(StoreException.class).hasMessage("store is closed");
    }

    @Test
    void unfinishedReturnsExactlyTheNonTerminalLoopsByPriorityThenAge() {
        int i = 0;
        for (LoopState state : LoopState.values()) {
            store.insertLoop(loop("01L" + i++, state));
        }
        LoopRecord urgent = new LoopRecord("01Z", "t", "1", Map.of(), "{}", LoopState.QUEUED,
                null, 0, 99, List.of(), null, Loops.T0, Loops.T0, 1);
        store.insertLoop(urgent);

        assertThat(store.unfinished()).extracting(LoopRecord::id)
                .containsExactly("01Z", "01L0", "01L1", "01L2", "01L3", "01L4");
        assertThat(store.countsByState()).containsEntry(LoopState.QUEUED, 2L)
                .containsEntry(LoopState.CANCELLED, 1L).hasSize(LoopState.values().length);
    }

    @Test
    void loopsArePagedByIdAndFiltered() {
        for (int i = 0; i < 5; i++) {
            store.insertLoop(loop("01P" + i, i % 2 == 0 ? LoopState.QUEUED : LoopState.FAILED));
        }
        assertThat(store.loops(null, null, 2, null, false)).extracting(LoopRecord::id)
                .containsExactly("01P0", "01P1");
        assertThat(store.loops(null, null, 2, "01P1", false)).extracting(LoopRecord::id)
                .containsExactly("01P2", "01P3");
        assertThat(store.loops(LoopState.QUEUED, "fix-tests", 10, null, false))
                .extracting(LoopRecord::id).containsExactly("01P0", "01P2", "01P4");
        assertThat(store.loops(null, "other", 10, null, false)).isEmpty();
        assertThat(store.loops(null, null, 2, null, true)).extracting(LoopRecord::id)
                .as("newest first").containsExactly("01P4", "01P3");
        assertThat(store.loops(null, null, 2, "01P3", true)).extracting(LoopRecord::id)
                .as("the next page, newest first").containsExactly("01P2", "01P1");
    }

    @Test
    void aPrefixFindsTheOneLoopOrSaysHowManyMatch() {
        store.insertLoop(loop("01ABC"));
        store.insertLoop(loop("01ABD"));
        store.insertLoop(loop("01XYZ"));

        assertThat(store.findByPrefix("01X")).map(LoopRecord::id).contains("01XYZ");
        assertThat(store.findByPrefix("01ABD")).map(LoopRecord::id).contains("01ABD");
        assertThat(store.findByPrefix("02")).isEmpty();
        assertThatThrownBy(() -> store.findByPrefix("01"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("'01' is ambiguous: 3 loops match");
    }

    @Test
    void theCommandOfAnIterationInProgressIsRecordedUntilItFinishesAndSurvivesAReopen() {
        store.insertLoop(Loops.loop("L1"));
        store.beginIteration("L1", 1, Loops.T0);

        store.recordCommand("L1", 4242, 777, null);
        store.recordCommand("L1", 4343, 888, "/sys/fs/cgroup/x/taskd-1").join();
        store.saveState("L1", "{\"synced\":true}");
        store.close();
        store = openStore();

        assertThat(store.cutOffIterations()).containsExactly(
                new RunningIteration("L1", 1, Loops.T0, 4343, 888, "/sys/fs/cgroup/x/taskd-1"));
        assertThat(store.loop("L1").orElseThrow().stateJson()).isEqualTo("{\"synced\":true}");
        store.finishIteration(Loops.iteration("L1", 1), "{}");
        assertThat(store.cutOffIterations()).isEmpty();
    }

    @Test
    void aFinishedIterationSavesItsStateAndClearsTheInProgressMarkTogether() {
        store.insertLoop(Loops.loop("L1"));
        store.beginIteration("L1", 1, Loops.T0).join();
        assertThat(store.cutOffIterations()).containsExactly(new RunningIteration("L1", 1, Loops.T0, 0, 0, null));

        store.finishIteration(Loops.iteration("L1", 1), "{\"n\":1}");

        assertThat(store.cutOffIterations()).isEmpty();
        assertThat(store.loop("L1").orElseThrow().stateJson()).isEqualTo("{\"n\":1}");
        assertThat(store.loop("L1").orElseThrow().iterations()).isEqualTo(1);
    }

    @Test
    void anIterationInProgressAtACrashIsStillMarkedAfterReopening() {
        store.insertLoop(Loops.loop("L1"));
        store.beginIteration("L1", 1, Loops.T0);
        store.close();

        store = openStore();

        assertThat(store.cutOffIterations()).extracting(RunningIteration::number).containsExactly(1);
    }

    @Test
    void theIterationThatEndsALoopAndTheLoopsEndAreOneTransaction() {
        store.insertLoop(Loops.loop("L1", LoopState.RUNNING));
        store.beginIteration("L1", 1, Loops.T0);

        boolean ended = store.finishIteration(Loops.iteration("L1", 1), "{\"done\":true}", LoopState.SUCCEEDED, "done");

        LoopRecord loop = store.loop("L1").orElseThrow();
        assertThat(ended).isTrue();
        assertThat(loop.state()).isEqualTo(LoopState.SUCCEEDED);
        assertThat(loop.reason()).isEqualTo("done");
        assertThat(loop.iterations()).isEqualTo(1);
        assertThat(store.cutOffIterations()).isEmpty();
    }

    @Test
    void startingALoopMarksItsFirstIterationInTheSameCommit() {
        store.insertLoop(loop("L1"));
        long before = store.commits();
        assertThat(store.startLoop("L1", 1, Loops.T0)).isTrue();
        assertThat(store.commits()).isEqualTo(before + 1);
        assertThat(store.loop("L1").orElseThrow().state()).isEqualTo(LoopState.RUNNING);
        assertThat(store.cutOffIterations()).containsExactly(new RunningIteration("L1", 1, Loops.T0, 0, 0, null));
    }

    @Test
    void aLoopThatIsNotQueuedIsNotStartedAndGetsNoMark() {
        store.insertLoop(loop("L1", LoopState.PAUSED));
        assertThat(store.startLoop("L1", 1, Loops.T0)).isFalse();
        assertThat(store.startLoop("nope", 1, Loops.T0)).isFalse();
        assertThat(store.loop("L1").orElseThrow().state()).isEqualTo(LoopState.PAUSED);
        assertThat(store.cutOffIterations()).isEmpty();
    }
}
