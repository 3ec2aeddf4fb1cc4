package dev.taskd.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event ids across restarts and crashes, and what a reader at a given id is given. */
class ReplayBufferTest {

    private static final Duration NO_WAIT = Duration.ZERO;

    @TempDir
    Path dataDir;

    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCleanStopContinuesRightAfterTheLastIdAndACrashSkipsTheRestOfItsBlock() {
        ReplayBuffer first = new ReplayBuffer(EventIds.open(store), 10);
        publish(first, 3);
        first.close();

        EventIds afterStop = EventIds.open(store);
        assertThat(afterStop.first()).isEqualTo(4);
        for (int i = 0; i < 1500; i++) {
            afterStop.next();
        }
        // No close: the process died with ids 4..1503 handed out and 1004..2003 reserved.
        EventIds afterCrash = EventIds.open(store);

        assertThat(afterCrash.first()).isEqualTo(4 + 2 * EventIds.BLOCK).isGreaterThan(1503);
    }

    @Test
    void aReaderGetsEveryEventAfterItsIdInOrder() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        publish(buffer, 5);

        ReplayBuffer.Read read = buffer.read(buffer.cursor(2L), NO_WAIT);

        assertThat(read).isInstanceOfSatisfying(ReplayBuffer.Events.class, events -> assertThat(events.events())
                .extracting(ReplayBuffer.Event::id).containsExactly(3L, 4L, 5L));
        assertThat(buffer.read(buffer.cursor(5L), NO_WAIT)).isEqualTo(new ReplayBuffer.Events(List.of()));
    }

    @Test
    void aReaderOlderThanTheBufferGetsAResetNamingTheOldestIdThenLiveEvents() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        publish(buffer, 25);
        ReplayBuffer.Cursor cursor = buffer.cursor(3L);

        ReplayBuffer.Read read = buffer.read(cursor, NO_WAIT);
        buffer.publish("loop", "26");

        assertThat(read).isEqualTo(new ReplayBuffer.Reset("Last-Event-ID 3 is older than the oldest event held (16);"
                + " the daemon keeps the last 10 events", 3, 16, 25));
        assertThat(buffer.read(cursor, NO_WAIT)).isInstanceOfSatisfying(ReplayBuffer.Events.class,
                events -> assertThat(events.events()).extracting(ReplayBuffer.Event::data).containsExactly("26"));
    }

    @Test
    void aSlowReaderThatFallsBehindTheBufferGetsAReset() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        ReplayBuffer.Cursor slow = buffer.cursor(null);
        publish(buffer, 11);

        assertThat(buffer.read(slow, NO_WAIT)).isInstanceOf(ReplayBuffer.Reset.class);
    }

    @Test
    void anIdFromBeforeThisStartGetsAResetEvenWhenNothingWasPublishedYet() throws Exception {
        ReplayBuffer first = new ReplayBuffer(EventIds.open(store), 10);
        publish(first, 5);
        first.close();
        ReplayBuffer second = new ReplayBuffer(EventIds.open(store), 10);

        ReplayBuffer.Read stale = second.read(second.cursor(4L), NO_WAIT);
        ReplayBuffer.Read upToDate = second.read(second.cursor(5L), NO_WAIT);

        assertThat(stale).isInstanceOfSatisfying(ReplayBuffer.Reset.class, reset -> {
            assertThat(reset.reason()).contains("before this daemon started");
            assertThat(reset.oldestId()).isEqualTo(-1);
        });
        assertThat(upToDate).isEqualTo(new ReplayBuffer.Events(List.of()));
    }

    @Test
    void anIdNeverSentGetsAReset() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        publish(buffer, 2);

        assertThat(buffer.read(buffer.cursor(7L), NO_WAIT)).isInstanceOfSatisfying(ReplayBuffer.Reset.class,
                reset -> assertThat(reset.reason()).contains("newer than any event sent"));
    }

    @Test
    void eventsThatCouldNotGetADurableIdAreNotSentAndReadersAreReset() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        ReplayBuffer.Cursor reader = buffer.cursor(null);
        store.close();

        buffer.publish("loop", "lost");

        assertThat(buffer.read(reader, NO_WAIT)).isInstanceOfSatisfying(ReplayBuffer.Reset.class,
                reset -> assertThat(reset.reason()).contains("1 events were not sent"));
        store = Store.open(dataDir);
    }

    @Test
    void aWaitingReaderWakesForAnEvent() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(EventIds.open(store), 10);
        ReplayBuffer.Cursor reader = buffer.cursor(null);
        Thread.ofVirtual().start(() -> buffer.publish("loop", "late"));

        ReplayBuffer.Read read = buffer.read(reader, Duration.ofSeconds(10));

        assertThat(read).isInstanceOfSatisfying(ReplayBuffer.Events.class,
                events -> assertThat(events.events()).extracting(ReplayBuffer.Event::data).containsExactly("late"));
    }

    private static void publish(ReplayBuffer buffer, int count) {
        for (int i = 0; i < count; i++) {
            buffer.publish("loop", Integer.toString(i + 1));
        }
    }
}
