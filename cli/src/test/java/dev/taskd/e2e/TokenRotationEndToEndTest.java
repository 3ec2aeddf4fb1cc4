package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token and API key files are reload inputs: rewriting one (same path) and reloading — by the API,
 * the watcher or the resync — rotates it with no restart, audits a change of {@code auth.tokens}
 * or {@code llm.providers.NAME.api-key}, and writes no secret to the audit log, the snapshots or
 * the daemon's log.
 */
class TokenRotationEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The token file lives apart from the config, loop-type and template directories. */
    private static final String TOKEN_FILE = "[auth]\ntoken-file = \"secrets/tokens\"\n";

    @TempDir
    Path home;

    private final String oldToken = "old-" + UUID.randomUUID();
    private final String newToken = "new-" + UUID.randomUUID();

    @Test
    void aRewrittenTokenFileAppliesOnPostReloadAndTheAuditNamesAuthTokensWithoutTheTokens() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE + "[reload]\nwatch = false\nresync-interval = \"1h\"\n")
                .file("secrets/tokens", "# ops\n" + oldToken + "\n").start()) {
            assertThat(status(daemon, oldToken)).isEqualTo(200);
            assertThat(status(daemon, newToken)).isEqualTo(401);

            daemon.file("secrets/tokens", "# ops, rotated\n" + newToken + "\n");
            assertThat(status(daemon, newToken)).as("before the reload").isEqualTo(401);
            HttpResponse<String> reload = daemon.send("POST", "/v1/reload", null, oldToken);

            JsonNode event = JSON.readTree(reload.body());
            assertThat(event.get("result").asText()).as(reload.body()).isEqualTo("applied");
            assertThat(keys(event.get("changes"))).containsExactly("auth.tokens");
            assertThat(event.get("changes").get(0).get("new").asText()).isEqualTo("(redacted: 1 token)");
            assertThat(status(daemon, oldToken)).isEqualTo(401);
            assertThat(status(daemon, newToken)).isEqualTo(200);
            assertThat(auditedChanges()).contains("auth.tokens");
            assertNoSecretWritten(daemon, oldToken, newToken);
        }
    }

    @Test
    void aRewrittenTokenFileAppliesThroughTheWatcherWithoutAnExplicitReload() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE)
                .file("secrets/tokens", oldToken + "\n").start()) {
            daemon.file("secrets/tokens", newToken + "\n");

            DaemonProcess.await(Duration.ofSeconds(15), "the new token to be valid", () -> status(daemon, newToken) == 200);
            assertThat(status(daemon, oldToken)).isEqualTo(401);
            DaemonProcess.await(Duration.ofSeconds(10), "the applied entry", () -> auditedChanges().contains("auth.tokens"));
            assertNoSecretWritten(daemon, oldToken, newToken);
        }
    }

    @Test
    void aKubernetesStyleSecretSwapRotatesTheTokens() throws Exception {
        Path secrets = Files.createDirectories(home.resolve("secrets"));
        Files.createDirectories(secrets.resolve("..v1"));
        Files.writeString(secrets.resolve("..v1/tokens"), oldToken + "\n");
        Files.createSymbolicLink(secrets.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(secrets.resolve("tokens"), Path.of("..data/tokens"));
        try (DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE).start()) {
            assertThat(status(daemon, oldToken)).isEqualTo(200);

            Files.createDirectories(secrets.resolve("..v2"));
            Files.writeString(secrets.resolve("..v2/tokens"), oldToken + "\n" + newToken + "\n");
            Files.createSymbolicLink(secrets.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(secrets.resolve("..data_tmp"), secrets.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            DaemonProcess.await(Duration.ofSeconds(15), "the new token to be valid", () -> status(daemon, newToken) == 200);
            assertThat(status(daemon, oldToken)).as("kept in the new version").isEqualTo(200);
            DaemonProcess.await(Duration.ofSeconds(10), "the applied entry", () -> auditedChanges().contains("auth.tokens"));
            assertNoSecretWritten(daemon, oldToken, newToken);
        }
    }

    @Test
    void aDeletedTokenFileIsRejectedNamingTheFileAndTheOldTokensStayValid() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE + "[reload]\nwatch = false\nresync-interval = \"1h\"\n")
                .file("secrets/tokens", oldToken + "\n").start()) {
            Files.delete(home.resolve("secrets/tokens"));

            JsonNode event = JSON.readTree(daemon.send("POST", "/v1/reload", null, oldToken).body());

            assertThat(event.get("result").asText()).isEqualTo("rejected");
            assertThat(event.get("findings").get(0).get("text").asText())
                    .matches("taskd\\.toml:\\d+:\\d+: auth\\.token-file names .*secrets/tokens, which does not exist; .*");
            assertThat(status(daemon, oldToken)).isEqualTo(200);
        }
    }

    @Test
    void emptyingTheTokenFileOfAPublicListenerIsRejectedAndItsTokensStayValid() throws Exception {
        DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE + "[reload]\nwatch = false\nresync-interval = \"1h\"\n")
                .file("secrets/tokens", oldToken + "\n");
        Files.writeString(daemon.config, Files.readString(daemon.config).replace("127.0.0.1:", "0.0.0.0:"));
        try (daemon) {
            daemon.start();
            daemon.file("secrets/tokens", "# nobody\n");

            JsonNode event = JSON.readTree(daemon.send("POST", "/v1/reload", null, oldToken).body());

            assertThat(event.get("result").asText()).isEqualTo("rejected");
            assertThat(event.get("findings").get(0).get("text").asText())
                    .matches("taskd\\.toml:\\d+:\\d+: auth\\.token-file names .*secrets/tokens, which holds no token; .*");
            assertThat(status(daemon, oldToken)).isEqualTo(200);
        }
    }

    @Test
    void aRewrittenApiKeyFileIsAnAuditedChangeWithoutTheKey() throws Exception {
        String oldKey = "sk-old-" + UUID.randomUUID();
        String newKey = "sk-new-" + UUID.randomUUID();
        try (DaemonProcess daemon = new DaemonProcess(home, """
                [reload]
                watch = false
                resync-interval = "1h"

                [llm.providers.local]
                kind = "openai"
                base-url = "http://127.0.0.1:9"
                api-key-file = "keys/local.key"
                """).file("keys/local.key", oldKey + "\n").start()) {
            daemon.file("keys/local.key", newKey + "\n");

            JsonNode event = JSON.readTree(daemon.post("/v1/reload", null).body());

            assertThat(event.get("result").asText()).isEqualTo("applied");
            assertThat(keys(event.get("changes"))).containsExactly("llm.providers.local.api-key");
            assertThat(auditedChanges()).contains("llm.providers.local.api-key");
            assertNoSecretWritten(daemon, oldKey, newKey);
        }
    }

    private static int status(DaemonProcess daemon, String token) {
        try {
            return daemon.send("GET", "/v1/status", null, token).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> keys(JsonNode changes) {
        List<String> keys = new ArrayList<>();
        changes.forEach(change -> keys.add(change.get("key").asText()));
        return keys;
    }

    /** The keys of every change of every applied entry in audit.jsonl. */
    private List<String> auditedChanges() {
        List<String> keys = new ArrayList<>();
        try {
            Path audit = home.resolve("data/audit.jsonl");
            if (!Files.exists(audit)) {
                return keys;
            }
            for (String line : Files.readAllLines(audit)) {
                JsonNode entry = JSON.readTree(line);
                if (entry.toString().contains("\"result\":\"applied\"")) {
                    entry.findValues("changes").forEach(changes -> keys.addAll(keys(changes)));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return keys;
    }

    private void assertNoSecretWritten(DaemonProcess daemon, String... secrets) throws IOException {
        List<Path> written = new ArrayList<>(List.of(home.resolve("data/audit.jsonl")));
        try (Stream<Path> snapshots = Files.walk(home.resolve("data/snapshots"))) {
            snapshots.filter(Files::isRegularFile).forEach(written::add);
        }
        assertThat(written).hasSizeGreaterThan(2);
        for (Path file : written) {
            String text = Files.readString(file);
            for (String secret : secrets) {
                assertThat(text).as(file.toString()).doesNotContain(secret);
            }
        }
        for (String secret : secrets) {
            assertThat(daemon.logText()).as("the daemon's log").doesNotContain(secret);
        }
    }
}
