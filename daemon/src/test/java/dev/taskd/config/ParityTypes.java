package dev.taskd.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loop types the dry-run parity test keeps running, and the edits that change what a reload
 * does to their loops: {@code on-reload}, {@code inputs} (so that adoption sometimes fails the
 * inputs check), a new version, a removed type, a type brought back, admission limits. Edits work
 * on the text of whatever tree is in force, which earlier inputs may have mutated; an edit that
 * makes it invalid is one more rejected input.
 *
 * <p>Each type runs {@link #command()}, a {@code sleep} longer than the test, so that no loop
 * reaches the end of an iteration while the test runs: what a reload does to a loop then depends
 * only on the loop's record, never on when the dry run and the reload happen to look.
 */
final class ParityTypes {

    /** A type that {@code limits.per-type} lets run one loop at a time, so that its other loops wait queued. */
    static final String WAITING = "parity-waiting";
    static final List<String> NAMES = List.of("parity-pin", "parity-next", "parity-default", WAITING);
    /** The inputs of a new type; loops are submitted with {@code label}, {@code ticket} comes from its default. */
    private static final String INPUTS = "[{ name = \"label\", default = \"-\" }, { name = \"ticket\", default = \"none\" }]";
    /** Inputs of a next version: some fit the loops' inputs, some do not (a required input, a dropped one). */
    private static final String[] NEXT_INPUTS = {
            INPUTS,
            "[{ name = \"label\", default = \"-\" }, { name = \"ticket\", default = \"none\" }, { name = \"extra\", default = \"x\" }]",
            "[{ name = \"label\" }, { name = \"ticket\" }]",
            "[{ name = \"label\", default = \"-\" }, { name = \"ticket\", default = \"none\" }, { name = \"owner\" }]",
            "[{ name = \"ticket\", default = \"none\" }]",
            "[]"};
    private static final String[] ON_RELOAD = {"pin", "next-iteration", null};
    private static final String CONFIG = "config/taskd.toml";

    private final String command;

    /** @param sleepSeconds how long an iteration of a parity loop sleeps: longer than the test runs */
    ParityTypes(long sleepSeconds) {
        this.command = "sleep " + sleepSeconds;
    }

    /** The command line of every parity type: loops are kept running only on versions that run it. */
    String command() {
        return command;
    }

    /** {@code seed} with the parity types added, and {@link #WAITING} limited to one running loop. */
    FuzzHarness.Tree addedTo(FuzzHarness.Tree seed) {
        Map<String, byte[]> files = new TreeMap<>(seed.files());
        for (int n = 0; n < NAMES.size(); n++) {
            files.put(path(NAMES.get(n)), bytes(source(NAMES.get(n), ON_RELOAD[n % ON_RELOAD.length], "")));
        }
        String config = files.containsKey(CONFIG) ? text(files, CONFIG) : "";
        Matcher perType = Pattern.compile("(?m)^\\s*per-type\\s*=\\s*\\{(.*)\\}\\s*$").matcher(config);
        String limit = WAITING + " = 1";
        files.put(CONFIG, bytes(perType.find()
                ? config.substring(0, perType.start(1)) + " " + limit + (perType.group(1).isBlank() ? " " : ", ")
                        + config.substring(perType.start(1))
                : setInTable(config, "limits", "per-type", "{ " + limit + " }")));
        return new FuzzHarness.Tree(seed.name() + "+parity", files);
    }

    /** One to three edits of {@code tree}'s parity types or admission limits. */
    FuzzHarness.Input edit(FuzzHarness.Tree tree, Random random) {
        Map<String, byte[]> files = new TreeMap<>(tree.files());
        List<String> mutated = new ArrayList<>();
        List<String> edits = new ArrayList<>();
        for (int rounds = 1 + random.nextInt(3); rounds > 0; rounds--) {
            List<String> present = files.keySet().stream().filter(path -> path.startsWith("loop-types/")
                    && path.endsWith(".toml") && text(files, path).contains(command)).toList();
            List<String> missing = NAMES.stream().map(ParityTypes::path).filter(path -> !files.containsKey(path)).toList();
            int kind = random.nextInt(11);
            boolean waitingPresent = files.containsKey(path(WAITING));
            if (present.isEmpty() || (kind == 0 && !missing.isEmpty()) || (kind == 10 && !waitingPresent)) {
                String path = kind == 10 ? path(WAITING)
                        : missing.isEmpty() ? path(NAMES.getFirst()) : missing.get(random.nextInt(missing.size()));
                String onReload = ON_RELOAD[random.nextInt(ON_RELOAD.length)];
                files.put(path, bytes(source(name(path), onReload, "back " + random.nextInt(1000))));
                edits.add("restored " + path + " (on-reload " + onReload + ")");
                mutated.add(path);
                continue;
            }
            String path = kind == 10 ? path(WAITING) : present.get(random.nextInt(present.size()));
            String text = text(files, path);
            switch (kind) {
                case 1, 2, 3 -> {
                    String onReload = ON_RELOAD[random.nextInt(ON_RELOAD.length)];
                    text = setTopLevel(text, "on-reload", onReload == null ? null : "\"" + onReload + "\"");
                    edits.add(path + ": on-reload " + onReload);
                }
                case 4, 5 -> {
                    String inputs = NEXT_INPUTS[random.nextInt(NEXT_INPUTS.length)];
                    text = setTopLevel(text, "inputs", inputs);
                    edits.add(path + ": inputs " + inputs);
                }
                case 6 -> {
                    text = setTopLevel(text, "description", "\"version " + random.nextInt(1_000_000) + "\"");
                    edits.add(path + ": new version");
                }
                case 7, 10 -> { // 10: the type whose loops wait, so that they are blocked
                    files.remove(path);
                    edits.add("removed " + path);
                    mutated.add(path);
                    continue;
                }
                default -> {
                    String limits = limits(files, random);
                    edits.add("config/taskd.toml: " + limits);
                    mutated.add(CONFIG);
                    continue;
                }
            }
            files.put(path, bytes(text));
            mutated.add(path);
        }
        return new FuzzHarness.Input(new FuzzHarness.Tree(tree.name(), files),
                mutated.stream().distinct().toList(), List.copyOf(edits));
    }

    /** Sets {@code limits.max-loops} or {@code limits.per-type}, so that some loops wait in the queue. */
    private static String limits(Map<String, byte[]> files, Random random) {
        String text = files.containsKey(CONFIG) ? text(files, CONFIG) : "";
        String key;
        String value;
        if (random.nextBoolean()) {
            key = "max-loops";
            value = String.valueOf(new int[] {1, 2, 3, 1000}[random.nextInt(4)]);
        } else {
            key = "per-type";
            String type = NAMES.get(random.nextInt(NAMES.size() - 1));
            value = switch (random.nextInt(8)) {
                case 0 -> "{ ralph = 20 }"; // the waiting loops are admitted
                case 1 -> "{ ralph = 20, " + WAITING + " = 1 }";
                default -> "{ ralph = 20, " + WAITING + " = 1, " + type + " = " + (1 + random.nextInt(2)) + " }";
            };
        }
        files.put(CONFIG, bytes(setInTable(text, "limits", key, value)));
        return "limits." + key + " = " + value;
    }

    private String source(String name, String onReload, String version) {
        return "description = \"parity loop " + name + (version.isEmpty() ? "" : ", " + version) + "\"\n"
                + "command = \"" + command + "\"\n"
                + "inputs = " + INPUTS + "\n"
                + "max-iterations = 5\n"
                + "iteration-timeout = \"7d\"\n"
                + (onReload == null ? "" : "on-reload = \"" + onReload + "\"\n");
    }

    /** {@code key = value} as the file's first line, every other top-level assignment of it removed; none when null. */
    private static String setTopLevel(String text, String key, String value) {
        Pattern assignment = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*=.*");
        List<String> lines = new ArrayList<>();
        boolean topLevel = true;
        for (String line : text.split("\n", -1)) {
            topLevel &= !line.strip().startsWith("[");
            if (!(topLevel && assignment.matcher(line).matches())) {
                lines.add(line);
            }
        }
        return (value == null ? "" : key + " = " + value + "\n") + String.join("\n", lines);
    }

    /** {@code key = value} in {@code [table]}: replacing its line, else under the header, else in a new table. */
    private static String setInTable(String text, String table, String key, String value) {
        Pattern assignment = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*=.*");
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            if (assignment.matcher(lines.get(i)).matches()) {
                lines.set(i, key + " = " + value);
                return String.join("\n", lines);
            }
        }
        int header = lines.stream().map(String::strip).toList().indexOf("[" + table + "]");
        if (header >= 0) {
            lines.add(header + 1, key + " = " + value);
            return String.join("\n", lines);
        }
        return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[" + table + "]\n" + key + " = " + value + "\n";
    }

    private static String path(String name) {
        return "loop-types/" + name + ".toml";
    }

    private static String name(String path) {
        return path.substring("loop-types/".length(), path.length() - ".toml".length());
    }

    private static String text(Map<String, byte[]> files, String path) {
        return new String(files.get(path), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
