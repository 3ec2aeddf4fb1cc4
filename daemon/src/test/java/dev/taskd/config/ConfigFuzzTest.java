package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the loader: mutated copies of the shipped configuration and of every
 * golden case go through {@link ConfigLoader}, which must return within the time limit, throw
 * nothing, and either give a snapshot with no errors or name at least one error, every finding
 * located in a file of the tree.
 *
 * <p>{@code -Dfuzz.inputs=N} changes the number of inputs: 3,000 by default, which every build
 * runs in about 15 s; a long run ({@code -Dfuzz.inputs=100000}) belongs before a release or after a
 * change to the loader. {@code -Dfuzz.seed=S} changes the seed, and {@code -Dfuzz.only=I} runs
 * input I alone: each input depends only on the seed and its number.
 */
class ConfigFuzzTest {

    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 3_000);
    private static final int ONLY = Integer.getInteger("fuzz.only", -1);
    private static final int MAX_FAILURES = 10;

    @TempDir
    Path temp;

    @Test
    void mutatedConfigurationsGiveLocatedFindingsAndNeverThrowOrHang() throws Exception {
        List<FuzzHarness.Tree> seeds = FuzzHarness.seeds();
        GraalScriptCheck scripts = new GraalScriptCheck(); // shared: it caches by content, and GraalJS is the slow part
        Path root = temp.resolve("tree");
        List<FuzzHarness.Tree> accepted = accepted(seeds, root, scripts);
        assertThat(accepted).as("seeds the loader accepts as they are").isNotEmpty();
        List<String> failures = new ArrayList<>();
        FuzzHarness.Tree written = new FuzzHarness.Tree("", Map.of());
        FuzzHarness.write(root, written);
        int ran = 0;
        int valid = 0;
        long started = System.nanoTime();
        for (int input = 0; input < INPUTS && failures.size() < MAX_FAILURES; input++) {
            if (ONLY >= 0 && input != ONLY) {
                continue;
            }
            Random random = FuzzHarness.random(FuzzHarness.SEED, input);
            // Most seeds are broken golden cases; the valid ones are drawn more often than their share.
            List<FuzzHarness.Tree> from = random.nextInt(5) < 2 ? accepted : seeds;
            FuzzHarness.Input mutation = FuzzHarness.mutate(from.get(random.nextInt(from.size())), random);
            FuzzHarness.update(root, written, mutation.tree());
            written = mutation.tree();
            FuzzHarness.Outcome<LoadResult> outcome = FuzzHarness.run(() ->
                    new ConfigLoader(root, scripts).load(root.resolve("config/taskd.toml")));
            ran++;
            List<String> problems = switch (outcome) {
                case FuzzHarness.Returned<LoadResult> returned -> {
                    valid += returned.value().valid() ? 1 : 0;
                    yield problems(returned.value(), root);
                }
                case FuzzHarness.Threw<LoadResult> threw ->
                        List.of("load threw " + FuzzHarness.trace(threw.failure()));
                case FuzzHarness.Hung<LoadResult> hung ->
                        List.of("load did not return within " + FuzzHarness.PER_INPUT + "; it was at" + FuzzHarness.trace(hung.where()));
            };
            if (!problems.isEmpty()) {
                failures.add(FuzzHarness.describe("ConfigFuzzTest", FuzzHarness.SEED, input, mutation,
                        String.join("\n", problems)));
            }
            if (outcome instanceof FuzzHarness.Hung<LoadResult>) {
                break; // the hung thread still runs; later inputs would be timed against it
            }
        }
        System.out.printf("ConfigFuzzTest: %d inputs (%d valid, %d invalid) in %d ms, seed %d%n", ran, valid,
                ran - valid, (System.nanoTime() - started) / 1_000_000, FuzzHarness.SEED);

        assertThat(failures).as("failures (at most %d shown)", MAX_FAILURES).isEmpty();
        if (ONLY < 0) {
            assertThat(ran).isEqualTo(INPUTS);
            assertThat(valid).as("valid inputs, so that the accepting paths are fuzzed too").isPositive();
        }
    }

    private static List<FuzzHarness.Tree> accepted(List<FuzzHarness.Tree> seeds, Path root, GraalScriptCheck scripts)
            throws IOException {
        List<FuzzHarness.Tree> accepted = new ArrayList<>();
        for (FuzzHarness.Tree seed : seeds) {
            FuzzHarness.write(root, seed);
            if (new ConfigLoader(root, scripts).load(root.resolve("config/taskd.toml")).valid()) {
                accepted.add(seed);
            }
        }
        return List.copyOf(accepted);
    }

    /** What is wrong with one load's result. */
    private static List<String> problems(LoadResult result, Path root) {
        List<String> problems = new ArrayList<>();
        if (result.valid() != (result.errors() == 0)) {
            problems.add("valid() is " + result.valid() + " with " + result.errors() + " errors");
        }
        problems.addAll(FuzzHarness.locationProblems(result.findings(), root));
        if (!problems.isEmpty()) {
            problems.add("all findings: " + result.findings());
        }
        return problems;
    }
}
