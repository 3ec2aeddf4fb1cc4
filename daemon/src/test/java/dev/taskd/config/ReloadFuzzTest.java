package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.audit.AuditLog;
import dev.taskd.concurrent.Limiter;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.process.ShellCommands;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadResult;
import dev.taskd.reload.ReloadTrigger;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.script.LlmCalls;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of live reload: a real {@link HotReloadManager} (store, audit log, loop
 * engine) reloads mutated versions of valid configurations, one after another. It lives beside
 * the loader's fuzz test because the oracle is the loader: each input is first loaded directly,
 * and the reload must agree — never {@code Applied} when the loader says invalid, the same
 * located findings when it rejects, and a generation from valid files in force after every input.
 *
 * <p>{@code -Dfuzz.reloads=N} changes the number of reloads (default 1,000); the inputs depend on
 * the seed and their number, but the generation in force depends on the inputs before.
 */
class ReloadFuzzTest {

    private static final int RELOADS = Integer.getInteger("fuzz.reloads", 1_000);
    private static final long SALT = 0x5EED_0F_2E_10ADL;
    private static final int MAX_FAILURES = 10;

    @TempDir
    Path temp;

    private Store store;
    private AuditLog audit;

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
    void reloadNeverAppliesAnInvalidConfigurationAndKeepsAValidGenerationInForce() throws Exception {
        Path root = temp.resolve("tree");
        Path config = root.resolve("config/taskd.toml");
        GraalScriptCheck scripts = new GraalScriptCheck();
        ConfigLoader loader = new ConfigLoader(root, scripts);
        List<FuzzHarness.Tree> bases = FuzzHarness.validSeeds(root, loader, seed -> seed);
        assertThat(bases).as("valid seed configurations").hasSizeGreaterThanOrEqualTo(2);

        FuzzHarness.write(root, bases.getFirst());
        FuzzHarness.Tree written = bases.getFirst();
        ConfigSnapshot first = loader.load(config).snapshot().orElseThrow();
        AtomicReference<Generation> current = new AtomicReference<>(Generation.first(first));
        HotReloadManager manager = manager(root, config, scripts, current);
        Set<String> validHashes = new HashSet<>(Set.of(first.hash()));
        List<String> failures = new ArrayList<>();
        int[] results = new int[4];
        long started = System.nanoTime();
        int input = 0;
        for (; input < RELOADS && failures.size() < MAX_FAILURES; input++) {
            Random random = FuzzHarness.random(FuzzHarness.SEED ^ SALT, input);
            FuzzHarness.Tree base = bases.get(random.nextInt(bases.size()));
            FuzzHarness.Input mutation = random.nextInt(5) == 0
                    ? new FuzzHarness.Input(base, List.of(), List.of("unmutated"))
                    : FuzzHarness.mutate(base, random);
            FuzzHarness.update(root, written, mutation.tree());
            written = mutation.tree();
            LoadResult expected = loader.load(config);
            expected.snapshot().ifPresent(snapshot -> validHashes.add(snapshot.hash()));
            Generation before = current.get();

            FuzzHarness.Outcome<ReloadEvent> outcome = FuzzHarness.run(() -> manager.reload(ReloadTrigger.API, ""));
            List<String> problems = switch (outcome) {
                case FuzzHarness.Returned<ReloadEvent> returned -> {
                    results[index(returned.value().result())]++;
                    yield problems(returned.value().result(), expected, before, current.get(), root);
                }
                case FuzzHarness.Threw<ReloadEvent> threw ->
                        List.of("reload threw " + FuzzHarness.trace(threw.failure()));
                case FuzzHarness.Hung<ReloadEvent> hung ->
                        List.of("reload did not return within " + FuzzHarness.PER_INPUT + "; it was at" + FuzzHarness.trace(hung.where()));
            };
            List<String> all = new ArrayList<>(problems);
            if (!validHashes.contains(current.get().snapshot().hash())) {
                all.add("generation " + current.get().number() + " in force did not come from files the loader accepted");
            }
            if (!all.isEmpty()) {
                all.add("the loader found: " + expected.findings());
                failures.add(FuzzHarness.describe("ReloadFuzzTest", FuzzHarness.SEED ^ SALT, input, mutation,
                        String.join("\n", all)));
            }
            if (outcome instanceof FuzzHarness.Hung<ReloadEvent>) {
                break;
            }
        }
        System.out.printf("ReloadFuzzTest: %d reloads (%d applied, %d rejected, %d unchanged, %d failed) in %d ms%n",
                input, results[0], results[1], results[2], results[3], (System.nanoTime() - started) / 1_000_000);

        assertThat(failures).as("failures (at most %d shown)", MAX_FAILURES).isEmpty();
        assertThat(input).isEqualTo(RELOADS);
        assertThat(results[0]).as("applied reloads, so that the swap is fuzzed too").isPositive();
        assertThat(results[1]).as("rejected reloads").isPositive();
    }

    /** What is wrong with one reload's result, given the loader's verdict on the same files. */
    private static List<String> problems(ReloadResult result, LoadResult expected, Generation before,
                                         Generation after, Path root) {
        List<String> problems = new ArrayList<>();
        switch (result) {
            case ReloadResult.Applied applied -> {
                if (!expected.valid()) {
                    problems.add("applied a configuration the loader rejects");
                } else if (!after.snapshot().hash().equals(expected.snapshot().orElseThrow().hash())) {
                    problems.add("applied, but the generation in force is not the one the files give");
                }
                if (after.number() != before.number() + 1) {
                    problems.add("applied, but generation " + before.number() + " became " + after.number());
                }
            }
            case ReloadResult.Rejected rejected -> {
                if (after != before) {
                    problems.add("rejected, but the generation in force changed");
                }
                if (!rejected.findings().isEmpty() || !expected.valid()) {
                    if (expected.valid()) {
                        problems.add("rejected with findings " + rejected.findings() + " files the loader accepts");
                    }
                    if (!rejected.findings().stream().map(Finding::toString).toList()
                            .equals(expected.findings().stream().map(Finding::toString).toList())) {
                        problems.add("rejected with findings " + rejected.findings() + " unlike the loader's");
                    }
                    if (rejected.findings().stream().noneMatch(Finding::isError)) {
                        problems.add("rejected as invalid without an error finding");
                    }
                    problems.addAll(FuzzHarness.locationProblems(rejected.findings(), root));
                } else if (rejected.unsafeChanges().isEmpty()) {
                    problems.add("rejected without findings or restart-only changes: " + rejected.reason());
                }
            }
            case ReloadResult.Unchanged unchanged -> {
                if (after != before) {
                    problems.add("unchanged, but the generation in force changed");
                }
                if (!expected.valid() || !expected.snapshot().orElseThrow().hash().equals(before.snapshot().hash())) {
                    problems.add("unchanged, but the files give a different (or no) configuration");
                }
            }
            case ReloadResult.Failed failed -> problems.add("failed with no side effects: " + failed.error());
        }
        return problems;
    }

    private static int index(ReloadResult result) {
        return switch (result) {
            case ReloadResult.Applied applied -> 0;
            case ReloadResult.Rejected rejected -> 1;
            case ReloadResult.Unchanged unchanged -> 2;
            case ReloadResult.Failed failed -> 3;
        };
    }

    private HotReloadManager manager(Path root, Path config, GraalScriptCheck scripts, AtomicReference<Generation> current)
            throws Exception {
        Path data = temp.resolve("data");
        store = Store.open(data);
        audit = AuditLog.open(data);
        LoopEngine engine = new LoopEngine(store, current::get, number -> java.util.Optional.empty(), new ShellCommands(new Limiter(() -> 2)),
                new ScriptRunner(), LlmCalls.NONE, event -> { }, dev.taskd.loop.LoopDirs.local(data));
        dev.taskd.reload.GenerationHistory history = dev.taskd.reload.GenerationHistory.open(data, store, root, scripts);
        current.set(history.begin(current.get().snapshot(), audit, 50));
        return new HotReloadManager(config, root, scripts, new dev.taskd.config.LoadCache(), current, engine, List.of(),
                history, audit, event -> { },
                pending -> { }, () -> false);
    }
}
