package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Escape attempts from loop scripts, run by the real daemon: each refused or stopped, the daemon fine. */
class SandboxEndToEndTest {

    @TempDir
    Path home;

    @Test
    void everyEscapeAttemptIsRefusedOrStoppedAndTheDaemonStaysHealthy() throws Exception {
        Map<String, String> attempts = new LinkedHashMap<>();
        attempts.put("javatype", "Java.type('java.lang.Runtime').getRuntime().exec('id')");
        attempts.put("packages", "Packages.java.lang.System.exit(1)");
        attempts.put("polyglot", "Polyglot.eval('js', '1')");
        attempts.put("load", "load('/etc/passwd')");
        attempts.put("require", "require('child_process').execSync('id')");
        attempts.put("process", "process.env.HOME");
        attempts.put("dotdot", "ctx.fs.read('../../../../etc/passwd')");
        attempts.put("absolute", "ctx.fs.read('/etc/passwd')");
        attempts.put("recursion", "const f = (n) => f(n + 1) + 1; f(0)");
        attempts.put("strings", "let s = 'x'; for (;;) s = s + s");
        attempts.put("forever", "for (;;) {}");
        attempts.put("globals", "if (globalThis.leaked) ctx.fail('saw another loop: ' + globalThis.leaked); globalThis.leaked = ctx.loopId; throw new Error('checked')");
        DaemonProcess daemon = new DaemonProcess(home, "");
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            daemon.file("loop-types/" + attempt.getKey() + ".toml", """
                    script = "%s.js"
                    max-iterations = 1
                    iteration-timeout = "2s"
                    """.formatted(attempt.getKey()));
            daemon.file("loop-types/" + attempt.getKey() + ".js",
                    "export function iterate(ctx) {\n  " + attempt.getValue() + ";\n}\n");
        }
        try (daemon) {
            daemon.start();
            Map<String, String> ids = new LinkedHashMap<>();
            for (String name : attempts.keySet()) {
                ids.put(name, daemon.submit(name, "{}", 0));
            }
            String second = daemon.submit("globals", "{}", 0);
            for (Map.Entry<String, String> id : ids.entrySet()) {
                daemon.awaitState(id.getValue(), Duration.ofSeconds(60), "failed");
                JsonNode iteration = daemon.json("/v1/loops/" + id.getValue() + "/iterations").get("iterations").get(0);
                assertThat(iteration.get("outcome").asText()).as(id.getKey()).isIn("error", "timed_out");
            }
            daemon.awaitState(second, Duration.ofSeconds(60), "failed");
            assertThat(daemon.json("/v1/loops/" + second + "/iterations").get("iterations").get(0).get("error").asText())
                    .contains("checked");
            assertThat(daemon.get("/v1/health").statusCode()).isEqualTo(200);
            String after = daemon.submit("hello", "{\"count\":\"1\"}", 0);
            daemon.awaitState(after, Duration.ofSeconds(30), "succeeded");
        }
    }
}
