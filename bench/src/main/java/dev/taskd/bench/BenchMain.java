package dev.taskd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./taskd bench [--rounds N] [--quick] [--jfr] [NAME...]}: runs the benchmarks (all by
 * default), prints the Markdown table on stdout and writes the JSON to {@code bench/results/}.
 * Exit 0 when every benchmark ran (missed targets are figures, not failures), 1 when one could
 * not run, 2 for a usage error.
 */
public final class BenchMain {

    private static final int DEFAULT_ROUNDS = 3;

    private BenchMain() {
    }

    static Map<String, Benchmark> all() {
        Map<String, Benchmark> all = new LinkedHashMap<>();
        for (Benchmark benchmark : List.of(new StartupBench(), new ReloadLatencyBench(), new IncrementalReloadBench(),
                new ReloadMemoryBench(), new ScriptOverheadBench(), new CommandIterationBench(),
                new ApiThroughputBench(), new ScaleBench(), new DashboardBench(), new StorageBackendBench())) {
            all.put(benchmark.name(), benchmark);
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("taskd.home", ".")).toAbsolutePath().normalize();
        int rounds = DEFAULT_ROUNDS;
        boolean quick = false;
        boolean jfr = false;
        List<Benchmark> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--rounds" -> rounds = rounds(args, ++i);
                case "--list" -> {
                    all().values().forEach(b -> System.out.printf("%-20s %s%n", b.name(), b.what()));
                    return;
                }
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    Benchmark benchmark = all().get(args[i]);
                    if (benchmark == null) {
                        usageError("unknown benchmark '" + args[i] + "'; the benchmarks are " + all().keySet());
                    }
                    chosen.add(benchmark);
                }
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(all().values());
        }
        Path results = root.resolve("bench/results");
        Path jfrDir = jfr ? Files.createDirectories(results.resolve("jfr")) : null;
        Bench bench = new Bench(root, quick ? 1 : rounds, quick, jfrDir);
        System.exit(run(bench, chosen, String.join(" ", List.of(args)), results));
    }

    private static int run(Bench bench, List<Benchmark> chosen, String arguments, Path results) throws Exception {
        Machine machine = Machine.describe(bench.root());
        Bench.progress("machine: %s", machine.oneLine());
        ReportJson.Run run = new ReportJson.Run(bench, machine,
                ("./taskd bench " + arguments).strip(), Instant.now());
        List<BenchResult> done = new ArrayList<>();
        for (Benchmark benchmark : chosen) {
            Bench.progress("%s: %s", benchmark.name(), benchmark.what());
            long started = System.nanoTime();
            BenchResult result;
            try {
                result = new BenchResult(benchmark.name(), benchmark.what(), benchmark.run(bench),
                        (System.nanoTime() - started) / 1e9, null);
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                result = new BenchResult(benchmark.name(), benchmark.what(), List.of(),
                        (System.nanoTime() - started) / 1e9, e.toString());
            }
            Bench.progress("%s done in %.0f s", benchmark.name(), result.seconds());
            done.add(result);
        }
        Path json = ReportJson.write(results, run, done);
        System.out.println("Measured with `" + run.command() + "` on " + machine.oneLine() + ", "
                + bench.rounds() + " recorded rounds after warm-up; median, min–max over rounds.");
        System.out.println();
        System.out.print(ReportTable.render(done));
        System.out.println();
        System.out.println("JSON: " + bench.root().relativize(json));
        return done.stream().anyMatch(result -> result.error() != null) ? 1 : 0;
    }

    private static int rounds(String[] args, int index) {
        try {
            int rounds = Integer.parseInt(index < args.length ? args[index] : "");
            if (rounds >= 1) {
                return rounds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usageError("--rounds needs a whole number of at least 1");
        return 0;
    }

    private static void usageError(String message) {
        System.err.println("taskd bench: " + message);
        System.err.println(usage());
        System.exit(2);
    }

    private static String usage() {
        return """
                usage: ./taskd bench [--rounds N] [--quick] [--jfr] [--list] [NAME...]
                  NAME       benchmarks to run (default: all); --list shows them
                  --rounds   recorded rounds per benchmark after warm-up (default %d)
                  --quick    small sizes, one round: checks the harness, measures nothing
                  --jfr      record every daemon with JFR into bench/results/jfr/""".formatted(DEFAULT_ROUNDS);
    }
}
