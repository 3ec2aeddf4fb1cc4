package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.audit.AuditLog;
import dev.taskd.concurrent.Limiter;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEffect;
import dev.taskd.loop.LoopEngine;
import dev.taskd.process.ShellCommands;
import dev.taskd.reload.GenerationHistory;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadPlan;
import dev.taskd.reload.ReloadResult;
import dev.taskd.reload.ReloadTrigger;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.script.LlmCalls;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry run and reload agree: generated changes — the config mutator over the valid seeds, and
 * edits of the loop types that have loops running ({@link ParityTypes}) — go through
 * {@link HotReloadManager#plan()} and then {@link HotReloadManager#reload} of the same files, and
 * for every input the plan's verdict is the reload's result, the plan's changed keys are the
 * reload's (key, kind and scope, in any order), and so is the effect on every running and queued
 * loop. Loops run for real: a real {@link LoopEngine} with {@link ShellCommands} runs a loop of
 * every parity type in force ({@link ParityLoops}).
 *
 * <p>{@code -Dparity.changes=N} changes the number of inputs (default 1,000). Each input depends
 * on the seed ({@code -Dfuzz.seed}), its number and the generation in force, which the inputs
 * before made: a failure reproduces by running the test again with the same seed and number.
 */
class DryRunParityTest {

    private static final int CHANGES = Integer.getInteger("parity.changes", 1_000);
    private static final long SALT = 0x9A_71_7E_57L;
    private static final int MAX_FAILURES = 10;
    /**
     * Longer than any run of the test, so that no parity loop ends an iteration while it runs; the
     * same for every number of inputs, so that the mutated texts (and a failure) reproduce.
     */
    private static final long SLEEP_SECONDS = 3_600;

    @TempDir
    Path temp;

    private Store store;
    private AuditLog audit;
    private LoopEngine engine;

    @AfterEach
    void close() throws InterruptedException {
        if (engine != null) {
            engine.drain(Duration.ZERO); // interrupts the iterations: their sleep processes are killed
        }
        if (store != null) {
            store.close();
        }
        if (audit != null) {
            audit.close();
        }
        assertThat(sleepsLeft()).as("sleep processes of parity loops left after the drain").isEmpty();
    }

    /** The parity loops' processes still alive, given a few seconds to go after they were killed. */
    private static List<String> sleepsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
                    .filter(line -> line.contains("sleep " + SLEEP_SECONDS)).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void dryRunGivesTheVerdictChangesAndLoopEffectsOfTheReloadThatFollows() throws Exception {
        long seed = FuzzHarness.SEED ^ SALT;
        Path root = temp.resolve("tree");
        Path config = root.resolve("config/taskd.toml");
        GraalScriptCheck scripts = new GraalScriptCheck();
        ParityTypes types = new ParityTypes(SLEEP_SECONDS);
        List<FuzzHarness.Tree> bases = FuzzHarness.validSeeds(root, new ConfigLoader(root, scripts), types::addedTo);
        assertThat(bases).as("valid seed configurations with the parity types").hasSizeGreaterThanOrEqualTo(2);

        FuzzHarness.write(root, bases.getFirst());
        FuzzHarness.Tree written = bases.getFirst();
        FuzzHarness.Tree inForce = written;
        ConfigSnapshot first = new ConfigLoader(root, scripts).load(config).snapshot().orElseThrow();
        AtomicReference<Generation> current = new AtomicReference<>(Generation.first(first));
        HotReloadManager manager = manager(root, config, scripts, current);
        ParityLoops loops = new ParityLoops(engine, store, current::get, types.command());
        loops.submit(-1, new Random(seed));
        assertThat(loops.settle()).as("the first loops run").isEmpty();

        List<String> failures = new ArrayList<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        Map<String, Integer> effects = new TreeMap<>();
        long started = System.nanoTime();
        int input = 0;
        for (; input < CHANGES && failures.size() < MAX_FAILURES; input++) {
            Random random = FuzzHarness.random(seed, input);
            FuzzHarness.Input change = change(random, bases, inForce, types);
            FuzzHarness.update(root, written, change.tree());
            written = change.tree();

            FuzzHarness.Outcome<ReloadPlan> planned = FuzzHarness.run(manager::plan);
            FuzzHarness.Outcome<ReloadEvent> reloaded = planned instanceof FuzzHarness.Returned<ReloadPlan>
                    ? FuzzHarness.run(() -> manager.reload(ReloadTrigger.API, "")) : null;
            List<String> problems = new ArrayList<>();
            if (!(planned instanceof FuzzHarness.Returned<ReloadPlan>(ReloadPlan plan))) {
                problems.add("the dry run " + ended(planned));
            } else if (!(reloaded instanceof FuzzHarness.Returned<ReloadEvent>(ReloadEvent event))) {
                problems.add("the reload " + ended(reloaded));
            } else {
                problems.addAll(disagreements(plan, event, current.get()));
                verdicts.merge(plan.verdict().label() + "/" + event.result().label(), 1, Integer::sum);
                event.loops().forEach(loop -> effects.merge(loop.effect().label(), 1, Integer::sum));
                if (event.result() instanceof ReloadResult.Applied || event.result() instanceof ReloadResult.Unchanged) {
                    inForce = written;
                }
                if (event.result() instanceof ReloadResult.Applied) {
                    loops.submit(input, random);
                }
                String waiting = loops.settle();
                if (!waiting.isEmpty()) {
                    problems.add("the loops did not settle within 10 s: " + waiting);
                }
            }
            if (!problems.isEmpty()) {
                failures.add(FuzzHarness.describe("DryRunParityTest", seed, input, change, String.join("\n", problems)
                        + "\n(inputs depend on the ones before: rerun with -Dfuzz.seed=" + FuzzHarness.SEED
                        + " -Dparity.changes=" + (input + 1) + ")"));
            }
            if (planned instanceof FuzzHarness.Hung<ReloadPlan> || reloaded instanceof FuzzHarness.Hung<ReloadEvent>) {
                break;
            }
        }
        System.out.printf("DryRunParityTest: seed %d, %d inputs in %d ms; plan/result %s; loop effects %s;"
                        + " %d loops submitted, %d cancelled%n", seed, input, (System.nanoTime() - started) / 1_000_000,
                verdicts, effects, loops.submitted(), loops.cancelled());

        assertThat(failures).as("disagreements of seed %d (at most %d shown)", seed, MAX_FAILURES).isEmpty();
        assertThat(input).isEqualTo(CHANGES);
        assertThat(verdicts).as("inputs that apply, are rejected, and change nothing")
                .containsKeys("apply/applied", "reject/rejected", "unchanged/unchanged");
        assertThat(effects).as("loop effects the inputs exercised")
                .containsKeys("adopts", "pinned", "kept", "finishes", "blocked", "resumed");
    }

    /**
     * One input: an edit of the parity types or limits in force, the config mutator over the
     * tree in force or a seed, or a seed or the tree in force as it is.
     */
    private static FuzzHarness.Input change(Random random, List<FuzzHarness.Tree> bases, FuzzHarness.Tree inForce,
                                            ParityTypes types) {
        FuzzHarness.Tree base = bases.get(random.nextInt(bases.size()));
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> types.edit(inForce, random);
            case 4, 5 -> FuzzHarness.mutate(inForce, random);
            case 6, 7 -> FuzzHarness.mutate(base, random);
            case 8 -> new FuzzHarness.Input(base, List.of(), List.of("seed " + base.name() + " unmutated"));
            default -> new FuzzHarness.Input(inForce, List.of(), List.of("the tree in force, unmutated"));
        };
    }

    /** Where the dry run and the reload of the same files differ. */
    private static List<String> disagreements(ReloadPlan plan, ReloadEvent event, Generation after) {
        List<String> problems = new ArrayList<>();
        String expected = switch (event.result()) {
            case ReloadResult.Applied applied -> "apply";
            case ReloadResult.Rejected rejected -> "reject";
            case ReloadResult.Unchanged unchanged -> "unchanged";
            case ReloadResult.Failed failed -> "(failed: " + failed.error() + ")";
        };
        if (!plan.verdict().label().equals(expected)) {
            problems.add("the dry run said " + plan.verdict().label() + " (" + plan.reason() + "), the reload "
                    + event.result().label() + " (" + event.result() + ")");
        }
        if (!keys(plan.diff()).equals(keys(event.diff()))) {
            problems.add("changed keys: the dry run " + keys(plan.diff()) + ", the reload " + keys(event.diff()));
        }
        if (!effects(plan.loops()).equals(effects(event.loops()))) {
            problems.add("loop effects: the dry run " + effects(plan.loops()) + ", the reload " + effects(event.loops()));
        }
        switch (event.result()) {
            case ReloadResult.Applied applied -> {
                if (plan.generation() != after.number() || !plan.candidateHash().equals(after.snapshot().hash())) {
                    problems.add("the dry run promised generation " + plan.generation() + " with hash "
                            + plan.candidateHash() + ", the reload made " + after.number() + " with hash "
                            + after.snapshot().hash());
                }
            }
            case ReloadResult.Rejected rejected -> {
                if (!text(plan.findings()).equals(text(rejected.findings()))
                        || !keys(plan.unsafeChanges()).equals(keys(rejected.unsafeChanges()))) {
                    problems.add("rejected for other reasons: the dry run " + plan.findings() + " " + plan.unsafeChanges()
                            + ", the reload " + rejected.findings() + " " + rejected.unsafeChanges());
                }
            }
            case ReloadResult.Unchanged unchanged -> { }
            case ReloadResult.Failed failed -> { }
        }
        return problems;
    }

    /** Changes as key, kind and scope, sorted: values are redacted in one and not the other. */
    private static List<String> keys(List<Change> changes) {
        return changes.stream().map(change -> change.key() + " " + change.kind() + " " + change.scope()).sorted().toList();
    }

    /** Effect by loop id; a loop named twice shows as a duplicate rather than being merged away. */
    private static Map<String, String> effects(List<LoopEffect> loops) {
        return loops.stream().collect(Collectors.toMap(LoopEffect::loopId, loop -> loop.type() + ": " + loop.effect(),
                (one, other) -> one + " AND " + other, TreeMap::new));
    }

    private static List<String> text(List<Finding> findings) {
        return findings.stream().map(Finding::toString).toList();
    }

    private static String ended(FuzzHarness.Outcome<?> outcome) {
        return switch (outcome) {
            case FuzzHarness.Threw<?> threw -> "threw " + FuzzHarness.trace(threw.failure());
            case FuzzHarness.Hung<?> hung -> "did not return within " + FuzzHarness.PER_INPUT + "; it was at"
                    + FuzzHarness.trace(hung.where());
            case FuzzHarness.Returned<?> returned -> "returned " + returned.value();
            case null -> "did not run";
        };
    }

    private HotReloadManager manager(Path root, Path config, GraalScriptCheck scripts, AtomicReference<Generation> current)
            throws Exception {
        Path data = temp.resolve("data");
        store = Store.open(data);
        audit = AuditLog.open(data);
        engine = new LoopEngine(store, current::get, number -> Optional.empty(), new ShellCommands(new Limiter(() -> 64)),
                new ScriptRunner(), LlmCalls.NONE, event -> { }, dev.taskd.loop.LoopDirs.local(data));
        GenerationHistory history = GenerationHistory.open(data, store, root, scripts);
        current.set(history.begin(current.get().snapshot(), audit, 50));
        engine.start();
        return new HotReloadManager(config, root, scripts, new LoadCache(), current, engine, List.of(), history, audit,
                event -> { }, pending -> { }, () -> false);
    }
}
