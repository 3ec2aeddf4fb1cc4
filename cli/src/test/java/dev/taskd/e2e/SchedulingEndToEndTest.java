package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission by the real daemon: the max-loops limit under load, and priority order. */
class SchedulingEndToEndTest {

    private static final String TICK = """
            script = "tick.js"
            inputs = [{ name = "ticks", default = "3" }]
            max-iterations = 10
            delay = "100ms"
            """;
    private static final String TICK_JS = """
            export function iterate(ctx) {
              ctx.state.ticks = (ctx.state.ticks ?? 0) + 1;
              if (ctx.state.ticks >= Number(ctx.input("ticks"))) ctx.complete("done");
            }
            """;

    /** Iterates every 2 s until a moment given as input, so that loops pile up behind max-loops. */
    private static final String UNTIL = """
            script = "until.js"
            inputs = ["until"]
            max-iterations = 100
            delay = "2s"
            """;
    private static final String UNTIL_JS = """
            export function iterate(ctx) {
              if (Date.now() >= Number(ctx.input("until"))) ctx.complete("time");
            }
            """;

    @TempDir
    Path home;

    @Test
    void twoThousandLoopsNeverRunMoreThanMaxLoopsAtOnceAndAllFinish() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-loops = 500\n")
                .file("loop-types/until.toml", UNTIL).file("loop-types/until.js", UNTIL_JS).start()) {
            AtomicInteger mostRunning = new AtomicInteger();
            Thread watcher = Thread.ofVirtual().start(() -> watchRunning(daemon, mostRunning));
            // Long enough for 2,000 submissions on a busy machine (the suite runs two test classes at once):
            // the loops must pile up behind max-loops before the first of them finishes.
            String inputs = "{\"until\":\"" + Instant.now().plusSeconds(30).toEpochMilli() + "\"}";
            try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    submitted.add(submitters.submit(() -> daemon.submit("until", inputs, 0)));
                }
                for (Future<String> loop : submitted) {
                    loop.get();
                }
            }
            DaemonProcess.await(Duration.ofSeconds(180), "2000 loops to succeed",
                    () -> succeeded(daemon) == 2000);
            watcher.interrupt();
            watcher.join();

            // Never above max-loops; and near it, so that the limit was what held the others back. Not
            // exactly 500: on a busy machine (two test classes at a time) starting 500 scripts lags.
            assertThat(mostRunning.get()).isLessThanOrEqualTo(500).isGreaterThanOrEqualTo(400);
            JsonNode loops = daemon.json("/v1/status").get("loops");
            assertThat(loops.get("succeeded").asInt()).isEqualTo(2000);
            assertThat(loops.get("failed").asInt()).isZero();
        }
    }

    @Test
    void higherPriorityRunsFirstThenOldestFirst() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-loops = 1\n")
                .file("loop-types/tick.toml", TICK).file("loop-types/tick.js", TICK_JS).start()) {
            String blocker = daemon.submit("retry-command", "{\"command\":\"sleep 1\",\"check\":\"true\"}", 0);
            daemon.awaitState(blocker, Duration.ofSeconds(20), "running");
            List<String> low = new ArrayList<>();
            List<String> high = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                low.add(daemon.submit("tick", "{\"ticks\":\"1\"}", 0));
            }
            for (int i = 0; i < 3; i++) {
                high.add(daemon.submit("tick", "{\"ticks\":\"1\"}", 10));
            }
            for (String id : low) {
                daemon.awaitState(id, Duration.ofSeconds(30), "succeeded");
            }

            List<String> all = new ArrayList<>(high);
            all.addAll(low);
            List<String> byStart = new ArrayList<>(all);
            byStart.sort(Comparator.comparing(id -> firstStart(daemon, id)));
            assertThat(byStart).containsExactlyElementsOf(all);
        }
    }

    private static void watchRunning(DaemonProcess daemon, AtomicInteger most) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int running = daemon.json("/v1/status").get("loops").get("running").asInt();
                most.accumulateAndGet(running, Math::max);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A busy daemon may answer slowly; the next poll counts again.
            }
        }
    }

    private static int succeeded(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/status").get("loops").get("succeeded").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Instant firstStart(DaemonProcess daemon, String id) {
        try {
            return Instant.parse(daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0)
                    .get("started_at").asText());
        } catch (Exception e) {
            throw new AssertionError("no first iteration of " + id, e);
        }
    }
}
