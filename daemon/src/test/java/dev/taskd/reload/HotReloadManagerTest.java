package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.audit.AuditLog;
import dev.taskd.audit.AuditQuery;
import dev.taskd.concurrent.Limiter;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.LoadCache;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.process.ShellCommands;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadManagerTest {

    @TempDir
    Path root;

    private Store store;
    private AuditLog audit;
    private final List<String> steps = new ArrayList<>();

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void aFailingSideEffectUndoesTheAppliedOnesAndKeepsTheOldGeneration() throws Exception {
        AtomicReference<Generation> current = setUp();
        SideEffect recorded = effect("first", false);
        SideEffect failing = effect("second", true);
        HotReloadManager manager = manager(current, List.of(recorded, failing), event -> { });

        Files.writeString(root.resolve("config/taskd.toml"), "[limits]\nmax-loops = 7\n");
        ReloadEvent event = manager.reload(ReloadTrigger.CLI, "");

        assertThat(event.result()).isInstanceOfSatisfying(ReloadResult.Failed.class, failed -> {
            assertThat(failed.rollbackPerformed()).isTrue();
            assertThat(failed.error()).isEqualTo("second: second broke");
        });
        assertThat(current.get().number()).isEqualTo(1);
        assertThat(current.get().snapshot().config().limits().maxLoops()).isEqualTo(1000);
        assertThat(steps).containsExactly("apply first", "apply second", "undo first");
        assertThat(audit.read(AuditQuery.all()).getLast().get("result").asText()).isEqualTo("failed");
    }

    @Test
    void aSubscriberThatBlocksCannotDelayReloads() throws Exception {
        AtomicReference<Generation> current = setUp();
        CountDownLatch never = new CountDownLatch(1);
        Subscribers subscribers = new Subscribers((name, failure) -> { });
        subscribers.subscribe("stuck", event -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HotReloadManager manager = manager(current, List.of(), subscribers);

        long started = System.nanoTime();
        for (int loops = 2; loops <= 6; loops++) {
            Files.writeString(root.resolve("config/taskd.toml"), "[limits]\nmax-loops = " + loops + "\n");
            assertThat(manager.reload(ReloadTrigger.API, "").result()).isInstanceOf(ReloadResult.Applied.class);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(current.get().number()).isEqualTo(6);
        assertThat(current.get().snapshot().config().limits().maxLoops()).isEqualTo(6);
    }

    @Test
    void anUnchangedReloadIsAuditedOnlyWhenSomeoneAskedForIt() throws Exception {
        AtomicReference<Generation> current = setUp();
        HotReloadManager manager = manager(current, List.of(), event -> { });

        manager.reload(ReloadTrigger.WATCH, "");
        manager.reload(ReloadTrigger.RESYNC, "");
        assertThat(audit.read(AuditQuery.all())).isEmpty();

        assertThat(manager.reload(ReloadTrigger.SIGNAL, "").result()).isInstanceOf(ReloadResult.Unchanged.class);
        assertThat(audit.read(AuditQuery.all())).hasSize(1);
    }

    @Test
    void aRollbackReappliesAnEarlierGenerationAndLeavesTheFilesWithDrift() throws Exception {
        AtomicReference<Generation> current = setUp();
        HotReloadManager manager = manager(current, List.of(), event -> { });
        Files.writeString(root.resolve("config/taskd.toml"), "[limits]\nmax-loops = 9\n");
        manager.reload(ReloadTrigger.CLI, "");
        assertThat(manager.drift()).isFalse();

        ReloadEvent rollback = manager.rollback(java.util.Optional.empty(), ReloadTrigger.CLI, "", PlanExpectation.NONE);

        assertThat(rollback.result()).isInstanceOf(ReloadResult.Applied.class);
        assertThat(current.get().number()).isEqualTo(3);
        assertThat(current.get().snapshot().config().limits().maxLoops()).isEqualTo(1000);
        assertThat(Files.readString(root.resolve("config/taskd.toml"))).contains("max-loops = 9");
        assertThat(manager.drift()).isTrue();
    }

    private AtomicReference<Generation> setUp() throws Exception {
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("loop-types"));
        Files.createDirectories(root.resolve("templates"));
        Files.writeString(root.resolve("config/taskd.toml"), "");
        Files.writeString(root.resolve("loop-types/quick.toml"), "command = \"true\"\n");
        AtomicReference<Generation> current = new AtomicReference<>(Generation.first(
                new ConfigLoader(root, new GraalScriptCheck()).load(root.resolve("config/taskd.toml")).snapshot().orElseThrow()));
        store = Store.open(root.resolve("data"));
        audit = AuditLog.open(root.resolve("data"));
        return current;
    }

    private HotReloadManager manager(AtomicReference<Generation> current, List<SideEffect> effects,
                                     java.util.function.Consumer<ReloadEvent> subscribers) throws Exception {
        LoopEngine engine = new LoopEngine(store, current::get, number -> java.util.Optional.empty(), new ShellCommands(new Limiter(() -> 2)),
                new ScriptRunner(), dev.taskd.script.LlmCalls.NONE, event -> { }, dev.taskd.loop.LoopDirs.local(root.resolve("data")));
        GenerationHistory history = GenerationHistory.open(root.resolve("data"), store, root, new GraalScriptCheck());
        current.set(history.begin(current.get().snapshot(), audit, 50));
        return new HotReloadManager(root.resolve("config/taskd.toml"), root, new GraalScriptCheck(), new LoadCache(), current, engine,
                effects, history, audit, subscribers, pending -> { }, () -> false);
    }

    private SideEffect effect(String name, boolean fails) {
        return new SideEffect() {
            public String name() {
                return name;
            }

            public void apply(Generation before, Generation after) {
                steps.add("apply " + name);
                if (fails) {
                    throw new IllegalStateException(name + " broke");
                }
            }

            public void undo(Generation before, Generation after) {
                steps.add("undo " + name);
            }
        };
    }
}
