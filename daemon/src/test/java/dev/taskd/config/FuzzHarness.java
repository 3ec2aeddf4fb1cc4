package dev.taskd.config;

import dev.taskd.source.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * What the fuzz tests share: the seed trees (the shipped configuration and every golden case),
 * one mutated tree per input, running one input under a time limit, and the checks that every
 * finding is located in a file that exists.
 *
 * <p>Reproducing a failure: the message names the seed and input number; run the test again with
 * {@code -Dfuzz.seed=SEED} and the same input count, or read the mutated text it quotes.
 */
final class FuzzHarness {

    static final long SEED = Long.getLong("fuzz.seed", 20_240_611L);
    static final Duration PER_INPUT = Duration.ofSeconds(10);
    private static final int QUOTED_CHARS = 1_500;

    /** A configuration: file contents by path relative to the tree's root ({@code config/taskd.toml}). */
    record Tree(String name, Map<String, byte[]> files) {
        Tree {
            files = new TreeMap<>(files);
        }
    }

    /** One input: the tree written, the files that were mutated and how. */
    record Input(Tree tree, List<String> mutatedFiles, List<String> mutations) {
    }

    /** How running one input ended. */
    sealed interface Outcome<T> {
    }

    record Returned<T>(T value) implements Outcome<T> {
    }

    record Threw<T>(Throwable failure) implements Outcome<T> {
    }

    record Hung<T>(StackTraceElement[] where) implements Outcome<T> {
    }

    private FuzzHarness() {
    }

    /** The random numbers of one input: independent of every other input, so any one can be replayed. */
    static Random random(long seed, int input) {
        return new Random(seed * 0x9E3779B97F4A7C15L + input);
    }

    /**
     * The seeds, each changed by {@code adapt}, that the loader accepts once written under
     * {@code root}: the valid configurations a reload fuzz starts from.
     */
    static List<Tree> validSeeds(Path root, ConfigLoader loader, UnaryOperator<Tree> adapt)
            throws IOException {
        List<Tree> valid = new ArrayList<>();
        for (Tree seed : seeds()) {
            Tree adapted = adapt.apply(seed);
            write(root, adapted);
            if (loader.load(root.resolve("config/taskd.toml")).valid()) {
                valid.add(adapted);
            }
        }
        return valid;
    }

    /** The shipped configuration, then every golden case, in a fixed order. */
    static List<Tree> seeds() throws IOException {
        List<Tree> seeds = new ArrayList<>();
        Map<String, byte[]> shipped = new TreeMap<>();
        shipped.put("config/taskd.toml", Files.readAllBytes(Path.of("..", "config", "taskd.toml")));
        readInto(shipped, Path.of(".."), "loop-types");
        readInto(shipped, Path.of(".."), "templates");
        seeds.add(new Tree("shipped", shipped));
        try (Stream<Path> cases = Files.list(Path.of("src", "test", "resources", "golden"))) {
            for (Path folder : cases.filter(Files::isDirectory).sorted().toList()) {
                Map<String, byte[]> files = new TreeMap<>();
                readInto(files, folder, "config");
                readInto(files, folder, "loop-types");
                readInto(files, folder, "templates");
                seeds.add(new Tree("golden/" + folder.getFileName(), files));
            }
        }
        return List.copyOf(seeds);
    }

    private static void readInto(Map<String, byte[]> files, Path base, String directory) throws IOException {
        Path folder = base.resolve(directory);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
                files.put(directory + "/" + file.getFileName(), Files.readAllBytes(file));
            }
        }
    }

    /**
     * {@code seed} with one file mutated, sometimes two; scripts rarely (they are slow to check).
     * Now and then a file is removed, or a copy is added under a new (possibly bad) name.
     */
    static Input mutate(Tree seed, Random random) {
        Map<String, byte[]> files = new TreeMap<>(seed.files());
        List<String> paths = new ArrayList<>(files.keySet());
        List<String> scripts = paths.stream().filter(path -> ConfigMutator.Kind.of(path) == ConfigMutator.Kind.SCRIPT).toList();
        List<String> others = paths.stream().filter(path -> !scripts.contains(path)).toList();
        List<String> mutated = new ArrayList<>();
        ConfigMutator mutator = new ConfigMutator(random);
        int count = random.nextInt(7) == 0 ? 2 : 1;
        for (int n = 0; n < count; n++) {
            boolean script = !scripts.isEmpty() && random.nextInt(14) == 0;
            String path = script ? scripts.get(random.nextInt(scripts.size())) : others.get(random.nextInt(others.size()));
            files.put(path, mutator.mutate(new String(files.get(path), StandardCharsets.UTF_8), ConfigMutator.Kind.of(path)));
            mutated.add(path);
        }
        List<String> mutations = new ArrayList<>(mutator.applied());
        int extra = random.nextInt(40);
        if (extra == 0 && others.size() > 1) {
            String removed = others.get(1 + random.nextInt(others.size() - 1));
            files.remove(removed);
            mutations.add("removed " + removed);
        } else if (extra == 1) {
            String copied = paths.get(random.nextInt(paths.size()));
            String name = new String[] {"copy", "Bad Name", ".hidden", "x.y", "paths", "hello", "ralph"}[random.nextInt(7)];
            String target = copied.substring(0, copied.indexOf('/') + 1) + name + copied.substring(copied.lastIndexOf('.'));
            files.put(target, files.get(copied));
            mutated.add(target);
            mutations.add("copied " + copied + " to " + target);
        }
        return new Input(new Tree(seed.name(), files), List.copyOf(mutated), List.copyOf(mutations));
    }

    /** Replaces everything under {@code root} with {@code tree}. */
    static void write(Path root, Tree tree) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> entries = Files.walk(root)) {
                for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(entry);
                }
            }
        }
        update(root, new Tree("", Map.of()), tree);
    }

    /**
     * Turns the tree {@code before} under {@code root} into {@code after}, writing only the files
     * that differ: most inputs change one file, and rewriting all of them would dominate the run.
     */
    static void update(Path root, Tree before, Tree after) throws IOException {
        for (String path : before.files().keySet()) {
            if (!after.files().containsKey(path)) {
                Files.delete(root.resolve(path));
            }
        }
        for (Map.Entry<String, byte[]> file : after.files().entrySet()) {
            byte[] old = before.files().get(file.getKey());
            if (old == null || !Arrays.equals(old, file.getValue())) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
        }
    }

    /** Runs {@code work} on a virtual thread, as reloads run in the daemon, for at most {@link #PER_INPUT}. */
    static <T> Outcome<T> run(Callable<T> work) throws InterruptedException {
        AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name("fuzz-input").start(() -> {
            try {
                outcome.set(new Returned<>(work.call()));
            } catch (Throwable e) {
                outcome.set(new Threw<>(e));
            }
        });
        if (!thread.join(PER_INPUT)) {
            return new Hung<>(thread.getStackTrace());
        }
        return outcome.get();
    }

    /**
     * What is wrong with where {@code findings} point: every one names a file under {@code root}
     * that exists, a line within it (or just past its end) and a column from 1, and reads
     * {@code file:line:column: message} without a stack trace.
     */
    static List<String> locationProblems(List<Finding> findings, Path root) {
        List<String> problems = new ArrayList<>();
        Map<Path, Integer> lineCounts = new HashMap<>(); // a mutated file can have thousands of findings
        for (Finding finding : findings) {
            Path file = root.resolve(finding.file());
            Position at = finding.position();
            String shown = finding.toString();
            if (!Files.isRegularFile(file)) {
                problems.add("names a file that does not exist: " + shown);
                continue;
            }
            if (at.line() < 1 || at.column() < 1) {
                problems.add("position below 1:1: " + shown);
            }
            int lines = lineCounts.computeIfAbsent(file, FuzzHarness::lineCount);
            if (at.line() > lines + 1) {
                problems.add("line " + at.line() + " is past the end of the file (" + lines + " lines): " + shown);
            }
            if (!shown.startsWith(finding.file() + ":" + at.line() + ":" + at.column() + ": ")
                    || finding.message().isBlank()) {
                problems.add("not in file:line:column: message form: " + shown);
            }
            if (shown.contains("\tat ") || shown.contains("Exception:")) {
                problems.add("reads like a stack trace: " + shown);
            }
        }
        return problems;
    }

    /** Lines as findings count them: ended by {@code \n}, a leading byte order mark not counted. */
    private static int lineCount(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return (int) text.chars().filter(c -> c == '\n').count() + 1;
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A failure message that lets the input be reproduced: seed, input number, tree, mutations and text. */
    static String describe(String test, long seed, int input, Input mutation, String problem) {
        StringBuilder message = new StringBuilder()
                .append(test).append(": seed ").append(seed).append(", input ").append(input)
                .append(" (from ").append(mutation.tree().name()).append("; ").append(mutation.mutations())
                .append(")\n  ").append(printable(problem).replace("\n", "\n  "));
        for (String path : mutation.mutatedFiles()) {
            byte[] bytes = mutation.tree().files().get(path);
            String text = bytes == null ? "(removed)" : new String(bytes, StandardCharsets.UTF_8);
            String shown = text.length() > QUOTED_CHARS
                    ? text.substring(0, QUOTED_CHARS) + "... (" + text.length() + " chars)" : text;
            message.append("\n  --- ").append(path).append(" ---\n").append(printable(shown));
        }
        return message.toString();
    }

    /** Control characters escaped, so that the quoted text survives a terminal and a test report. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c == '\n' || (c >= 0x20 && c != 0x7F && !Character.isSurrogate((char) c))) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u%04X", c));
            }
        });
        return out.toString();
    }

    /** The first lines of a throwable's stack trace, for a failure message. */
    static String trace(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < Math.min(12, frames.length); i++) {
            text.append("\n    at ").append(frames[i]);
        }
        return text.toString();
    }

    static String trace(StackTraceElement[] frames) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(20, frames.length); i++) {
            text.append("\n    at ").append(frames[i]);
        }
        return text.toString();
    }
}
