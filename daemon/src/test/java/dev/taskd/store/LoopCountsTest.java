package dev.taskd.store;

import static dev.taskd.store.Loops.iteration;
import static dev.taskd.store.Loops.loop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's in-memory loop counts against what the store holds. */
class LoopCountsTest {

    private static final LoopState[] STATES = LoopState.values();

    @TempDir
    Path dataDir;

    @Test
    void countsEqualTheStoreAfterManyConcurrentRandomWritesIncludingFailingOnes() throws Exception {
        int writers = 8;
        int writesEach = 250;
        AtomicInteger nextId = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        Queue<Map<LoopState, Long>> negative = new ConcurrentLinkedQueue<>();
        try (Store store = Store.open(dataDir)) {
            for (int i = 0; i < 20; i++) {
                store.insertLoop(loop(id(nextId.getAndIncrement())));
            }
            Thread reader = Thread.ofVirtual().start(() -> {
                while (!done.get()) {
                    Map<LoopState, Long> seen = store.countsByState();
                    if (seen.values().stream().anyMatch(count -> count < 0)) {
                        negative.add(seen);
                    }
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long seed = 1000L + w;
                threads.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(seed);
                    try {
                        start.await();
                        for (int i = 0; i < writesEach; i++) {
                            randomWrite(store, random, nextId);
                        }
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            done.set(true);
            reader.join();

            assertThat(unexpected).isEmpty();
            assertThat(negative).as("snapshots with a negative count").isEmpty();
            assertThat(store.countsByState()).isEqualTo(counted()).hasSize(STATES.length);
            assertThat(store.commits()).as("writes shared batches").isLessThan((long) writers * writesEach);
        }
        try (Store reopened = Store.open(dataDir)) {
            assertThat(reopened.countsByState()).isEqualTo(counted());
        }
    }

    @Test
    void aBatchThatFailsChangesNoCount() throws Exception {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01A"));
            store.insertLoop(loop("01B"));
            store.insertLoop(loop("01C", LoopState.RUNNING));
            Map<LoopState, Long> before = store.countsByState();
            Writer writer = store.writer();

            // Hold the writer in a batch of its own, queue good writes and one that breaks the
            // transaction behind it, then let them all run as the next batch.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread gate = Thread.ofVirtual().start(() -> writer.submit("hold the writer", null, c -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            held.await();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> good = new ArrayList<>();
            List<Runnable> writes = List.of(
                    () -> store.insertLoop(loop("01NEW")),
                    () -> store.updateLoopState("01A", LoopState.QUEUED, LoopState.PAUSED, "paused"),
                    () -> store.startLoop("01B", 1, Instant.now()),
                    () -> store.finishIteration(iteration("01C", 1), "{}", LoopState.SUCCEEDED, "done"));
            for (Runnable write : writes) {
                good.add(Thread.ofVirtual().start(() -> collect(failures, write)));
                awaitQueued(writer, good.size());
            }
            Thread breaker = Thread.ofVirtual().start(() -> collect(failures,
                    () -> writer.submit("break the transaction", null, LoopCountsTest::breakTransaction)));
            awaitQueued(writer, writes.size() + 1);
            release.countDown();
            gate.join();
            breaker.join();
            for (Thread t : good) {
                t.join();
            }

            assertThat(failures).hasSize(writes.size() + 1).allSatisfy(failure -> assertThat(failure)
                    .isInstanceOf(StoreException.class));
            assertThat(failures).filteredOn(failure -> failure.getMessage().startsWith("commit of 5 writes failed"))
                    .as("the good writes, lost with their batch").hasSize(writes.size());
            assertThat(store.countsByState()).isEqualTo(before).isEqualTo(counted());
            assertThat(store.loop("01NEW")).isEmpty();

            assertThat(store.updateLoopState("01A", LoopState.QUEUED, LoopState.PAUSED, "paused")).isTrue();
            assertThat(store.countsByState()).containsEntry(LoopState.QUEUED, 1L)
                    .containsEntry(LoopState.PAUSED, 1L).isEqualTo(counted());
        }
    }

    @Test
    void aWriteRolledBackToItsSavepointChangesNoCount() {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01A"));
            assertThatThrownBy(() -> store.writer().submit("move, then fail", "01A", c -> {
                LoopWrites.updateState(c, "01A", LoopState.QUEUED, LoopState.RUNNING, null, Instant.now());
                throw new StoreException("failed after the move");
            }, moved -> new StateChange.Moved(LoopState.QUEUED, LoopState.RUNNING))).hasMessage("failed after the move");
            assertThat(store.countsByState()).containsEntry(LoopState.QUEUED, 1L)
                    .containsEntry(LoopState.RUNNING, 0L).isEqualTo(counted());
        }
    }

    @Test
    void countsAreLoadedFromTheStoreAtOpen() {
        try (Store store = Store.open(dataDir)) {
            store.insertLoop(loop("01A"));
            store.insertLoop(loop("01B", LoopState.FAILED));
            store.insertLoop(loop("01C", LoopState.FAILED));
        }
        try (Store reopened = Store.open(dataDir)) {
            assertThat(reopened.countsByState()).containsEntry(LoopState.QUEUED, 1L)
                    .containsEntry(LoopState.FAILED, 2L).containsEntry(LoopState.RUNNING, 0L)
                    .hasSize(STATES.length);
        }
    }

    /** One write chosen at random; a write the store refuses is expected and ignored. */
    private static void randomWrite(Store store, Random random, AtomicInteger nextId) {
        String existing = id(random.nextInt(Math.max(1, nextId.get())));
        LoopState from = STATES[random.nextInt(STATES.length)];
        LoopState to = STATES[random.nextInt(STATES.length)];
        try {
            switch (random.nextInt(8)) {
                case 0 -> store.insertLoop(loop(id(nextId.getAndIncrement()), from));
                case 1 -> store.insertLoop(loop(existing, from)); // a duplicate: fails alone
                case 2, 3 -> store.updateLoopState(existing, from, to, "random");
                case 4 -> store.startLoop(existing, 1, Instant.now());
                case 5 -> store.finishIteration(iteration(existing, 1 + random.nextInt(3)), "{}",
                        random.nextBoolean() ? to : null, "random");
                case 6 -> store.writer().submit("move, then fail", existing, c -> {
                    LoopWrites.updateState(c, existing, LoopState.QUEUED, LoopState.PAUSED, null, Instant.now());
                    throw new StoreException("failed after the move");
                }, moved -> new StateChange.Moved(LoopState.QUEUED, LoopState.PAUSED));
                default -> {
                    if (random.nextInt(10) == 0) {
                        store.writer().submit("break the transaction", null, LoopCountsTest::breakTransaction);
                    } else {
                        store.saveState(existing, "{}");
                    }
                }
            }
        } catch (StoreException expected) {
            // Duplicates, missing loops, failed batches: what matters is that the counts agree.
        }
    }

    /** Ends the transaction under the writer's feet, so that the whole batch fails. */
    private static Void breakTransaction(Connection c) throws SQLException {
        try (Statement rollback = c.createStatement()) {
            rollback.execute("ROLLBACK");
        }
        throw new StoreException("broke the transaction");
    }

    private Map<LoopState, Long> counted() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Store.FILE_NAME))) {
            return LoopQueries.countsByState(c);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQueued(Writer writer, int count) throws InterruptedException {
        while (writer.queued() < count) {
            Thread.sleep(1);
        }
    }

    private static void collect(Queue<Throwable> failures, Runnable write) {
        try {
            write.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static String id(int n) {
        return "01R%05d".formatted(n);
    }
}
