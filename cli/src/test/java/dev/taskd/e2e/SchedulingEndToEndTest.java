package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
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

    /**
     * Iterates until the file {@code release} is in its work dir, which all of them share: the
     * test lets them finish once it has seen them pile up behind max-loops. Every 10 s, so that
     * 500 loops waiting cost the machine little while the others are submitted.
     */
    private static final String HELD = """
            script = "held.js"
            inputs = ["workdir"]
            max-iterations = 1000
            delay = "10s"
            """;
    private static final String HELD_JS = """
            export function iterate(ctx) {
              if (ctx.fs.exists("release")) ctx.complete("released");
            }
            """;

    @TempDir
    Path home;

    @Test
    void twoThousandLoopsNeverRunMoreThanMaxLoopsAtOnceAndAllFinish() throws Exception {
        Path shared = Files.createDirectories(home.resolve("shared"));
        try (DaemonProcess daemon = new DaemonProcess(home, "[limits]\nmax-loops = 500\n")
                .file("loop-types/held.toml", HELD).file("loop-types/held.js", HELD_JS)) {
            String config = Files.readString(daemon.config);
            Files.writeString(daemon.config, config.replace("[templates]", "workdir-roots = [\"" + home + "\"]\n\n[templates]"));
            daemon.start();
            AtomicInteger mostRunning = new AtomicInteger();
            Thread watcher = Thread.ofVirtual().start(() -> watchRunning(daemon, mostRunning));
            String inputs = "{\"workdir\":\"" + shared + "\"}";
            try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    submitted.add(submitters.submit(() -> daemon.submit("held", inputs, 0)));
                }
                for (Future<String> loop : submitted) {
                    loop.get();
                }
            }
            // No loop can end before the release: max-loops, and nothing else, holds the other 1,500 back.
            DaemonProcess.await(Duration.ofSeconds(120), "500 loops running and 1,500 queued", () -> {
                JsonNode loops = status(daemon);
                return loops != null && loops.get("running").asInt() == 500 && loops.get("queued").asInt() == 1500;
            });
            Files.writeString(shared.resolve("release"), "");
            DaemonProcess.await(Duration.ofSeconds(180), "2000 loops to succeed",
                    () -> succeeded(daemon) == 2000);
            watcher.interrupt();
            watcher.join();

            assertThat(mostRunning.get()).as("most loops seen running at once").isEqualTo(500);
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
        JsonNode loops = status(daemon);
        return loops == null ? -1 : loops.get("succeeded").asInt();
    }

    /** The status's loop counts, or null when the daemon does not answer (for polling). */
    private static JsonNode status(DaemonProcess daemon) {
        try {
            return daemon.json("/v1/status").get("loops");
        } catch (Exception e) {
            return null;
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
