package dev.taskd.store;

import static dev.taskd.store.Loops.iteration;
import static dev.taskd.store.Loops.loop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a file system that runs out of space, and gets it back. */
class DiskFullStoreTest {

    @TempDir
    Path home;

    @Test
    void aWriteOnAFullDiskFailsRolledBackAndTheStoreWorksAgainOnceSpaceIsBack() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(home.resolve("data"), "2m");
             StorageHealth storage = StorageHealth.unobserved(disk.root);
             Store store = Store.open(disk.root, storage)) {
            store.insertLoop(loop("01BEFORE"));
            disk.fill("filler");

            List<String> refused = new ArrayList<>();
            List<String> accepted = new ArrayList<>();
            // The WAL may still have room in pages it allocated before; write until it has none.
            for (int i = 0; i < 2000 && refused.isEmpty(); i++) {
                String id = "01FULL" + i;
                try {
                    store.insertLoop(large(id));
                    accepted.add(id);
                } catch (StorageUnavailableException e) {
                    assertThat(e).hasMessageContaining("the data dir " + disk.root + " is not writable")
                            .hasMessageContaining("bytes free");
                    refused.add(id);
                }
            }
            assertThat(refused).isNotEmpty();
            assertThat(storage.writable()).isFalse();
            assertThat(store.loop(refused.getFirst())).isEmpty();
            assertThat(store.countsByState()).as("a refused insert is not counted")
                    .containsEntry(LoopState.QUEUED, 1L + accepted.size());

            disk.free("filler");
            storage.check();
            assertThat(storage.writable()).isTrue();
            store.insertLoop(loop(refused.getFirst()));
            store.recordIteration(iteration(refused.getFirst(), 1));
            // A write that fails for another reason still fails alone: the transaction was begun again.
            assertThatThrownBy(() -> store.recordIteration(iteration(refused.getFirst(), 1)))
                    .isNotInstanceOf(StorageUnavailableException.class).hasMessageContaining("already recorded");
            assertThat(store.loop(refused.getFirst()).orElseThrow().iterations()).isEqualTo(1);
            assertThat(store.loop("01BEFORE")).isPresent();
            for (String id : accepted) {
                assertThat(store.loop(id)).as(id).isPresent();
            }
            assertThat(storage.transitions(false)).isEqualTo(1);
            assertThat(storage.transitions(true)).isEqualTo(1);
        }
    }

    /** A loop whose state takes a few pages, so that a full disk is met soon. */
    private static LoopRecord large(String id) {
        LoopRecord loop = loop(id);
        return new LoopRecord(loop.id(), loop.type(), loop.typeVersion(), loop.inputs(),
                "{\"pad\":\"" + "x".repeat(8000) + "\"}", loop.state(), loop.reason(), loop.iterations(),
                loop.priority(), loop.after(), loop.workdir(), loop.createdAt(), loop.updatedAt(), loop.generation());
    }

    @Test
    void theCheckFindsFreeSpaceBelowTheReserveWithoutAFailedWrite() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(home.resolve("data"), "2m");
             StorageHealth storage = StorageHealth.unobserved(disk.root)) {
            disk.fill("filler");
            storage.check();
            assertThat(storage.writable()).isFalse();
            assertThat(storage.status().reason()).contains("below the reserve");
            assertThatThrownBy(storage::requireWritable).isInstanceOf(StorageUnavailableException.class);

            disk.free("filler");
            long started = System.nanoTime();
            assertThat(storage.awaitWritable(() -> System.nanoTime() - started > Duration.ofSeconds(5).toNanos()))
                    .isTrue();
        }
    }
}
