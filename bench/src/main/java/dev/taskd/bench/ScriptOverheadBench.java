package dev.taskd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.script.ScriptEngines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A trivial script iteration in the daemon (fresh sandboxed Context, module evaluation, ctx,
 * state), as the daemon records it, against the floor: the same function called again and again
 * in one reused Context with the same sandbox and engine options, in this JVM.
 */
final class ScriptOverheadBench implements Benchmark {

    static final String SCRIPT = "export function iterate(ctx) { }\n";

    @Override
    public String name() {
        return "script-overhead";
    }

    @Override
    public String what() {
        return "trivial iterate() per iteration in the daemon vs the same call in one reused GraalJS Context";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        int iterations = bench.size(300, 30);
        Figure daemonFigure = new Figure("script iteration, median", "ms", "reused Context call", null);
        Figure overhead = new Figure("overhead per iteration, median", "ms", null, Target.atMost(1, "ms"));
        Figure endToEnd = new Figure("loop time per iteration (incl. store)", "ms", null, null);
        try (BenchDaemon daemon = new BenchDaemon(bench, name(), "[reload]\nwatch = false\n");
             ReusedContext floor = new ReusedContext()) {
            daemon.file("loop-types/trivial.js", SCRIPT);
            daemon.file("loop-types/trivial.toml", """
                    description = "a script iteration that does nothing"
                    script = "trivial.js"
                    max-iterations = %d
                    delay = "0s"
                    """.formatted(iterations));
            daemon.start();
            floor.medianMillis(bench.size(5000, 500));
            runLoop(daemon, iterations);
            for (int round = 0; round < bench.rounds(); round++) {
                List<JsonNode> done = runLoop(daemon, iterations);
                List<Double> durations = new ArrayList<>();
                done.forEach(iteration -> durations.add(millis(iteration.path("started_at"), iteration.path("ended_at"))));
                double reused = floor.medianMillis(iterations);
                double fresh = Stats.median(durations);
                daemonFigure.add(fresh, reused);
                overhead.add(fresh - reused);
                endToEnd.add(millis(done.getFirst().path("started_at"), done.getLast().path("ended_at")) / done.size());
                Bench.progress("round %d: daemon %.3f ms, reused Context %.4f ms, end to end %.2f ms", round + 1,
                        fresh, reused, endToEnd.values.getLast());
            }
        }
        return List.of(daemonFigure, overhead, endToEnd);
    }

    /** Runs one loop of {@code iterations} trivial iterations to its end; returns its iterations. */
    private static List<JsonNode> runLoop(BenchDaemon daemon, int iterations) throws Exception {
        String id = daemon.http.submit("trivial");
        Instant deadline = Instant.now().plusSeconds(300);
        while (!daemon.http.get("/v1/loops/" + id).path("state").asText().matches("succeeded|failed|cancelled")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("loop " + id + " did not finish " + iterations + " iterations in 300 s");
            }
            Bench.sleep(Duration.ofMillis(50));
        }
        List<JsonNode> done = new ArrayList<>();
        daemon.http.get("/v1/loops/" + id + "/iterations").path("iterations").forEach(done::add);
        if (done.size() != iterations) {
            throw new IllegalStateException("loop " + id + " ran " + done.size() + " iterations, expected " + iterations);
        }
        return done;
    }

    private static double millis(JsonNode from, JsonNode to) {
        return Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())).toNanos() / 1e6;
    }

    /** The floor: one Context, the module evaluated once, {@code iterate} called repeatedly. */
    private static final class ReusedContext implements AutoCloseable {
        private final Context context = ScriptEngines.sandboxedContext().build();
        private final Value iterate;
        private final Object ctx = ProxyObject.fromMap(new java.util.HashMap<>(Map.of("state", "{}")));

        ReusedContext() {
            Source source = Source.newBuilder("js", SCRIPT, "trivial.js")
                    .mimeType("application/javascript+module").buildLiteral();
            iterate = context.eval(source).getMember("iterate");
        }

        double medianMillis(int calls) {
            List<Double> times = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long started = System.nanoTime();
                iterate.executeVoid(ctx);
                times.add((System.nanoTime() - started) / 1e6);
            }
            return Stats.median(times);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
