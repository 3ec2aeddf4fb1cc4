package dev.taskd.store;

import static dev.taskd.store.Loops.iteration;
import static dev.taskd.store.Loops.loop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    @TempDir
    Path dataDir;

    @Test
    void manyConcurrentWritersAllCommit() throws Exception {
        int loops = 200;
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (Store store = Store.open(dataDir)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int n = 0; n < loops; n++) {
                String id = "01G%04d".formatted(n);
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        store.insertLoop(loop(id));
                        for (int i = 1; i <= 5; i++) {
                            store.recordIteration(iteration(id, i));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(store.commits()).as("writes share commits").isLessThan(loops * 6L);
        }
        try (Store reopened = Store.open(dataDir)) {
            List<LoopRecord> all = reopened.loops(null, null, 1000, null, false);
            assertThat(all).hasSize(loops).allSatisfy(l -> assertThat(l.iterations()).isEqualTo(5));
            assertThat(reopened.iterations("01G0123")).extracting(IterationRecord::number)
                    .containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void aFailingWriteFailsOnlyItsCallerInTheSameBatch() throws Exception {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01DUP"));
            // Many good and bad writes released at once, so they share batches with each other.
            int pairs = 50;
            Queue<Throwable> goodFailures = new ConcurrentLinkedQueue<>();
            Queue<Throwable> badFailures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int n = 0; n < pairs; n++) {
                String id = "01OK%03d".formatted(n);
                threads.add(Thread.ofVirtual().start(() -> run(start, goodFailures,
                        () -> store.insertLoop(loop(id)))));
                threads.add(Thread.ofVirtual().start(() -> run(start, badFailures,
                        () -> store.insertLoop(loop("01DUP")))));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(goodFailures).isEmpty();
            assertThat(badFailures).hasSize(pairs).allSatisfy(t -> assertThat(t)
                    .isInstanceOf(StoreException.class).hasMessageContaining("01DUP"));
            assertThat(store.loops(null, null, 1000, null, false)).hasSize(pairs + 1);
        }
    }

    @Test
    void closeCommitsWhatIsQueuedAndRefusesLaterWrites() throws Exception {
        Store store = Store.open(dataDir);
        Thread writer = Thread.ofVirtual().start(() -> store.insertLoop(loop("01LATE")));
        writer.join();
        store.close();
        assertThatThrownBy(() -> store.saveState("01LATE", "{}")).hasMessage("store is closed");
        try (Store reopened = Store.open(dataDir)) {
            assertThat(reopened.loop("01LATE")).isPresent();
        }
    }

    @Test
    void theDatabaseIsInWalMode() throws Exception {
        Store.open(dataDir).close();
        try (var c = java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve(Store.FILE_NAME));
             var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    private static void run(CountDownLatch start, Queue<Throwable> failures, Runnable write) {
        try {
            start.await();
            write.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
