package dev.taskd.store;

import static dev.taskd.store.Loops.iteration;
import static dev.taskd.store.Loops.loop;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema version 4: iteration limits, iteration costs and the notes of what people did to loops. */
class LoopNotesTest {

    @TempDir
    Path dataDir;

    @Test
    void aDecisionMovesTheLoopSetsItsLimitAndKeepsTheNoteInOneCommitOnlyFromTheExpectedState() {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01A", LoopState.FAILED));
            LoopNote note = new LoopNote("01A", Instant.parse("2026-01-01T00:00:00Z"), "127.0.0.1", "retried", 0,
                    "up to iteration 7");

            boolean fromRunning = store.notes().move(LoopState.RUNNING, LoopState.QUEUED, "retried", 7, note);
            boolean fromFailed = store.notes().move(LoopState.FAILED, LoopState.QUEUED, "retried", 7, note);

            assertThat(fromRunning).isFalse();
            assertThat(fromFailed).isTrue();
            LoopRecord loop = store.loop("01A").orElseThrow();
            assertThat(loop.state()).isEqualTo(LoopState.QUEUED);
            assertThat(loop.iterationLimit()).isEqualTo(7);
            assertThat(loop.lastIteration(10)).isEqualTo(7);
            assertThat(store.notes().of("01A")).containsExactly(note);
            assertThat(store.countsByState()).containsEntry(LoopState.QUEUED, 1L).containsEntry(LoopState.FAILED, 0L);
        }
    }

    @Test
    void anIterationKeepsWhatItCost() {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01B"));
            IterationRecord plain = iteration("01B", 1);
            IterationRecord priced = new IterationRecord("01B", 2, plain.startedAt(), plain.endedAt(), plain.outcome(),
                    1, "out", 7, 50, 5, null, 0.125);
            store.recordIteration(plain);
            store.recordIteration(priced);

            assertThat(store.iterations("01B")).extracting(IterationRecord::cost).containsExactly(0.0, 0.125);
        }
    }

    @Test
    void aVersionThreeFileIsMigratedKeepingItsLoops() throws Exception {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01C"));
            store.recordIteration(iteration("01C", 1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Store.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE loop_notes");
            s.execute("ALTER TABLE loops DROP COLUMN iteration_limit");
            s.execute("ALTER TABLE iterations DROP COLUMN cost");
            s.execute("PRAGMA user_version=3");
        }

        try (Store store = Store.open(dataDir)) {
            assertThat(store.loop("01C").orElseThrow().iterationLimit()).isZero();
            assertThat(store.iterations("01C")).extracting(IterationRecord::cost).containsExactly(0.0);
            assertThat(store.notes().of("01C")).isEmpty();
        }
    }
}
