package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand reloads while a thousand loops iterate: no iteration is interrupted, and none sees
 * two generations — each renders its template at the start and again at the end, and the two
 * must match although the template changes with every reload.
 */
class ReloadUnderLoadEndToEndTest {

    private static final int LOOPS = 1000;
    private static final int RELOADS = 1000;

    @TempDir
    Path home;

    @Test
    void aThousandReloadsWhileAThousandLoopsIterateNeverMixGenerations() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "[reload]\nwatch = false\nresync-interval = \"1h\"\n")
                .file("templates/marker.mustache", "marker 0\n")
                .file("loop-types/observe.toml", """
                        script = "observe.js"
                        template = "marker"
                        on-reload = "next-iteration"
                        max-iterations = 100
                        delay = "50ms"
                        """)
                .file("loop-types/observe.js", """
                        export function iterate(ctx) {
                          const before = ctx.prompt;
                          let work = 0;
                          for (let i = 0; i < 20000; i++) work += i;
                          const after = ctx.render("marker", {});
                          if (before !== after) ctx.fail("saw two generations: " + before + " then " + after);
                          ctx.state.n = (ctx.state.n ?? 0) + 1;
                          if (ctx.state.n >= 5) ctx.complete("ok " + work);
                        }
                        """)
                .start()) {
            List<String> ids = new ArrayList<>();
            try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < LOOPS; i++) {
                    submitted.add(submitters.submit(() -> daemon.submit("observe", "{}", 0)));
                }
                for (Future<String> id : submitted) {
                    ids.add(id.get());
                }
            }
            ObjectMapper json = new ObjectMapper();
            int applied = 0;
            for (int reload = 1; reload <= RELOADS; reload++) {
                daemon.file("templates/marker.mustache", "marker " + reload + "\n");
                JsonNode event = json.readTree(daemon.post("/v1/reload", "").body());
                assertThat(event.get("result").asText()).isEqualTo("applied");
                applied++;
            }

            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(180), "succeeded", "failed");
            }
            JsonNode status = daemon.json("/v1/status");
            assertThat(status.get("loops").get("failed").asInt()).as("loops that saw two generations").isZero();
            assertThat(status.get("loops").get("succeeded").asInt()).isEqualTo(LOOPS);
            assertThat(status.get("generation").asLong()).isEqualTo(1 + applied);
            for (String id : ids.subList(0, 50)) {
                for (JsonNode iteration : daemon.json("/v1/loops/" + id + "/iterations").get("iterations")) {
                    assertThat(iteration.get("outcome").asText()).isIn("continued", "completed");
                    assertThat(iteration.get("generation").asLong()).isBetween(1L, 1L + RELOADS);
                }
            }
        }
    }
}
