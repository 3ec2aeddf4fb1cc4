package dev.taskd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon's structure, read from its sources: no two packages depend on each other, however
 * indirectly, and threads are made only by {@code concurrent.Threads}. A few lines over the
 * source text rather than a bytecode library: a reference counts when a type of another package
 * is named in code (an import or a qualified name), not in a comment.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/taskd");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.taskd\\.([a-z]+)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern THREAD_MADE = Pattern.compile("new Thread\\(|Thread\\.of(Virtual|Platform)\\(");

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> uses = packageDependencies();
        assertThat(uses).as("packages found under " + SOURCES).hasSizeGreaterThan(5);
        List<List<String>> cycles = cycles(uses);
        assertThat(cycles).as("package cycles (each: a → b → ... → a); move the shared piece to a "
                + "package both can depend on, such as concurrent or source").isEmpty();
    }

    @Test
    void aCycleIsFoundAndNamedOnce() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
                "d", Set.of("a"));
        assertThat(cycles(uses)).containsExactly(List.of("a", "b", "c", "a"));
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
    }

    @Test
    void threadsAreMadeOnlyByTheThreadsFactory() {
        List<String> makers = new ArrayList<>();
        for (Path file : javaFiles()) {
            if (!file.endsWith(Path.of("concurrent", "Threads.java")) && THREAD_MADE.matcher(code(file)).find()) {
                makers.add(SOURCES.relativize(file).toString());
            }
        }
        assertThat(makers).as("files making threads themselves; use concurrent.Threads").isEmpty();
    }

    private static Map<String, Set<String>> packageDependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : javaFiles()) {
            String from = SOURCES.relativize(file).getName(0).toString();
            Set<String> targets = uses.computeIfAbsent(from, p -> new TreeSet<>());
            Matcher reference = REFERENCE.matcher(code(file));
            while (reference.find()) {
                if (!reference.group(1).equals(from)) {
                    targets.add(reference.group(1));
                }
            }
        }
        return uses;
    }

    /** Every strongly connected component of more than one package, as a path through it. */
    static List<List<String>> cycles(Map<String, Set<String>> uses) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> path = pathBack(start, uses);
            if (path != null) {
                reported.addAll(path);
                cycles.add(path);
            }
        }
        return cycles;
    }

    /** A shortest path start → ... → start (breadth first), or null. */
    private static List<String> pathBack(String start, Map<String, Set<String>> uses) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> frontier = new ArrayDeque<>(List.of(start));
        while (!frontier.isEmpty()) {
            String at = frontier.removeFirst();
            for (String next : uses.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String step = at; !step.equals(start); step = cameFrom.get(step)) {
                        path.add(1, step);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    frontier.addLast(next);
                }
            }
        }
        return null;
    }

    private static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's text without comments, so that a {@code {@link}} to another package is no dependency. */
    private static String code(Path file) {
        try {
            return COMMENT.matcher(Files.readString(file)).replaceAll(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
