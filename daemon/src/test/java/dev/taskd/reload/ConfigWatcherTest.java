package dev.taskd.reload;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real directories and the real WatchService; waits are bounded polls, never fixed long sleeps. */
class ConfigWatcherTest {

    private static final Duration DEBOUNCE = Duration.ofMillis(100);
    private static final Duration RESYNC = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long "no further call" is checked: several debounces and more than one resync tick. */
    private static final Duration QUIET = Duration.ofMillis(450);

    @TempDir
    Path root;

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> diskHash = new AtomicReference<>("same");
    private ConfigWatcher watcher;

    private record Call(ReloadTrigger trigger, long nanos) {
    }

    @AfterEach
    void closeWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void inPlaceWriteCallsOnceAfterTheDebounce() throws Exception {
        Path dir = directory("conf");
        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        watch(dir);

        long written = System.nanoTime();
        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");

        awaitCalls(1);
        assertQuietThen(1);
        assertThat(calls.peek().trigger()).isEqualTo(ReloadTrigger.WATCH);
        assertThat(calls.peek().nanos() - written).isGreaterThanOrEqualTo(DEBOUNCE.toNanos());
    }

    @Test
    void tempFileAndRenameSaveCallsOnce() throws Exception {
        Path dir = directory("conf");
        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        watch(dir);

        Path temp = Files.writeString(dir.resolve(".taskd.toml.tmp"), "a = 2\n");
        Files.move(temp, dir.resolve("taskd.toml"), ATOMIC_MOVE);

        awaitCalls(1);
        assertQuietThen(1);
    }

    @Test
    void vimStyleSaveCallsOnce() throws Exception {
        Path dir = directory("conf");
        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        watch(dir);

        Files.move(dir.resolve("taskd.toml"), dir.resolve("taskd.toml~"));
        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");
        Files.delete(dir.resolve("taskd.toml~"));

        awaitCalls(1);
        assertQuietThen(1);
    }

    @Test
    void kubernetesDataSymlinkSwapCallsOnce() throws Exception {
        Path dir = directory("conf");
        Files.createDirectory(dir.resolve("..2026_a"));
        Files.writeString(dir.resolve("..2026_a/taskd.toml"), "a = 1\n");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_a"));
        Files.createSymbolicLink(dir.resolve("taskd.toml"), Path.of("..data/taskd.toml"));
        watch(dir);

        Files.createDirectory(dir.resolve("..2026_b"));
        Files.writeString(dir.resolve("..2026_b/taskd.toml"), "a = 2\n");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_b"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), ATOMIC_MOVE);

        awaitCalls(1);
        assertQuietThen(1);
        assertThat(Files.readString(dir.resolve("taskd.toml"))).isEqualTo("a = 2\n");
    }

    @Test
    void burstOfWritesIsDebouncedAndTheLastCallFollowsTheLastWrite() throws Exception {
        Path dir = directory("conf");
        watch(dir);

        long lastWrite = 0;
        for (int i = 0; i < 100; i++) {
            Files.writeString(dir.resolve("taskd.toml"), "a = " + i + "\n");
            lastWrite = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(8);
        }

        long afterLastWrite = lastWrite;
        await(() -> calls.stream().anyMatch(call -> call.nanos() > afterLastWrite), "a call after the last write");
        int count = calls.size();
        assertQuietThen(count);
        assertThat(count).isBetween(1, 3);
    }

    @Test
    void directoryDeletedThenRecreatedIsWatchedAgain() throws Exception {
        Path dir = directory("conf");
        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        watch(dir);

        Files.delete(dir.resolve("taskd.toml"));
        Files.delete(dir);
        awaitCalls(1); // the caller reloads and reports the source missing
        assertQuietThen(1);

        Files.createDirectory(dir);
        awaitCalls(2); // its return is a change
        assertQuietThen(2);

        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");
        awaitCalls(3);
        assertThat(calls).extracting(Call::trigger).containsOnly(ReloadTrigger.WATCH);
    }

    @Test
    void directoryMissingAtStartIsWatchedOnceItAppears() throws Exception {
        Path dir = root.resolve("conf");
        watch(dir);
        assertQuietThen(0);

        Files.createDirectory(dir);
        awaitCalls(1);
        assertQuietThen(1);

        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        awaitCalls(2);
        assertThat(errors).isEmpty();
    }

    @Test
    void directoryReplacedByRenameIsWatchedAgain() throws Exception {
        Path dir = directory("conf");
        Path next = directory("conf.next");
        Files.writeString(next.resolve("taskd.toml"), "a = 2\n");
        watch(dir);

        // The old directory lives on elsewhere, so its watch stays valid and sees nothing more.
        Files.move(dir, root.resolve("conf.old"), ATOMIC_MOVE);
        Files.move(next, dir, ATOMIC_MOVE);
        awaitCalls(1);
        assertQuietThen(1);

        Files.writeString(dir.resolve("taskd.toml"), "a = 3\n");
        awaitCalls(2);
    }

    @Test
    void resyncReportsEachNewDiskHashOnce() throws Exception {
        Path dir = directory("conf");
        watcher = ConfigWatcher.start(() -> new WatchSettings(List.of(dir), true, DEBOUNCE, RESYNC),
                diskHash::get, () -> "same", this::record, errors::add);
        assertQuietThen(0);

        diskHash.set("edited");
        awaitCalls(1);
        assertQuietThen(1);

        diskHash.set("edited again");
        awaitCalls(2);
        assertQuietThen(2);
        assertThat(calls).extracting(Call::trigger).containsOnly(ReloadTrigger.RESYNC);
        assertThat(errors).isEmpty();
    }

    @Test
    void watchOffReloadsNothingByItselfEvenWhenTheHashesDiffer() throws Exception {
        Path dir = directory("conf");
        watcher = ConfigWatcher.start(() -> new WatchSettings(List.of(dir), false, DEBOUNCE, RESYNC),
                diskHash::get, () -> "applied", this::record, errors::add);

        diskHash.set("edited");
        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");

        assertQuietThen(0);
        assertThat(errors).isEmpty();
    }

    @Test
    void watchOffIgnoresFileEventsWhileTheHashesAgree() throws Exception {
        Path dir = directory("conf");
        watcher = ConfigWatcher.start(() -> new WatchSettings(List.of(dir), false, DEBOUNCE, RESYNC),
                diskHash::get, diskHash::get, this::record, errors::add);

        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");

        assertQuietThen(0);
    }

    @Test
    void listenerThatThrowsDoesNotStopLaterCalls() throws Exception {
        Path dir = directory("conf");
        RuntimeException boom = new IllegalStateException("listener failed");
        watcher = ConfigWatcher.start(settings(dir), diskHash::get, diskHash::get, trigger -> {
            record(trigger);
            if (calls.size() == 1) {
                throw boom;
            }
        }, errors::add);

        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        awaitCalls(1);
        await(() -> errors.contains(boom), "the listener's exception reported");
        assertQuietThen(1);

        Files.writeString(dir.resolve("taskd.toml"), "a = 2\n");
        awaitCalls(2);
    }

    @Test
    void overflowRescansAndTheWatcherStaysAlive() throws Exception {
        Path dir = directory("conf");
        CountDownLatch release = new CountDownLatch(1);
        watcher = ConfigWatcher.start(settings(dir), diskHash::get, diskHash::get, trigger -> {
            record(trigger);
            if (calls.size() == 1) {
                awaitUninterruptibly(release); // events pile up on the key meanwhile
            }
        }, errors::add);

        Files.writeString(dir.resolve("first.toml"), "x");
        awaitCalls(1);
        for (int i = 0; i < 1_000; i++) {
            Files.writeString(dir.resolve("file-" + i + ".toml"), "x");
        }
        release.countDown();

        awaitCalls(2);
        assertThat(watcher.overflows()).isPositive();
        assertQuietThen(2);

        Files.writeString(dir.resolve("first.toml"), "y");
        awaitCalls(3);
        assertThat(errors).isEmpty();
    }

    @Test
    void refreshWatchesANewlyConfiguredDirectoryAtOnce() throws Exception {
        Path first = directory("conf");
        Path added = directory("loop-types");
        AtomicReference<List<Path>> directories = new AtomicReference<>(List.of(first));
        watcher = ConfigWatcher.start(() -> new WatchSettings(directories.get(), true, DEBOUNCE, Duration.ofHours(1)),
                diskHash::get, diskHash::get, this::record, errors::add);

        directories.set(List.of(first, added));
        watcher.refresh();
        Files.writeString(added.resolve("ralph.toml"), "x = 1\n");

        awaitCalls(1);
    }

    private void watch(Path dir) throws IOException {
        watcher = ConfigWatcher.start(settings(dir), diskHash::get, diskHash::get, this::record, errors::add);
    }

    private static java.util.function.Supplier<WatchSettings> settings(Path dir) {
        WatchSettings settings = new WatchSettings(List.of(dir), true, DEBOUNCE, RESYNC);
        return () -> settings;
    }

    private Path directory(String name) throws IOException {
        return Files.createDirectory(root.resolve(name));
    }

    private void record(ReloadTrigger trigger) {
        calls.add(new Call(trigger, System.nanoTime()));
    }

    private void awaitCalls(int count) throws InterruptedException {
        await(() -> calls.size() >= count, count + " call(s)");
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited %s for %s; calls %s, errors %s", TIMEOUT, what, calls, errors)
                    .isNegative();
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** No call beyond {@code count} arrives within {@link #QUIET}. */
    private void assertQuietThen(int count) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(calls).as("calls, errors %s", errors).hasSizeLessThanOrEqualTo(count);
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(calls).hasSize(count);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void filesThatCannotBeSourcesAreIgnoredSoALogBesideTheConfigCannotPostponeAReload() throws Exception {
        Path dir = directory("conf");
        watcher = ConfigWatcher.start(settings(dir), diskHash::get, diskHash::get, this::record, errors::add);

        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("daemon.log"), "line " + i + "\n");
            Files.writeString(dir.resolve(".taskd.toml.swp"), "swap " + i);
            Thread.sleep(20);
        }
        assertQuietThen(0);

        Files.writeString(dir.resolve("taskd.toml"), "a = 1\n");
        awaitCalls(1);
        assertThat(ConfigWatcher.isSource(Path.of("..data"))).isTrue();
        assertThat(ConfigWatcher.isSource(Path.of("fix.js"))).isTrue();
        assertThat(ConfigWatcher.isSource(Path.of("fix.toml~"))).isFalse();
    }
}
