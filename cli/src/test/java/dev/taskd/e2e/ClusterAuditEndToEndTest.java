package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Three real daemons on one throwaway PostgreSQL keep one audit chain: each reloads its own
 * config dir's files at the same time as the others; {@code taskd audit verify} on any node
 * passes, the entries name all three nodes, and {@code taskd audit export} verifies offline with
 * {@code --file}, where an edited line is named.
 */
class ClusterAuditEndToEndTest extends ClusterDaemons {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RELOADS_PER_NODE = 4;

    @Test
    void threeNodesReloadingAtOnceKeepOneVerifiableChainThatExportsForOfflineChecks() throws Exception {
        PostgresTarget db = PostgresServer.shared().newDatabase("cluster_audit");
        for (String name : List.of("a", "b", "c")) {
            nodes.add(node(name, db).start());
        }

        reloadOnEveryNodeAtOnce();

        for (DaemonProcess node : nodes) {
            Cli.Result verify = Cli.run(node.home, node.port, "audit", "verify", "--config", node.config.toString());
            assertThat(verify.exit()).as(verify.stdout() + verify.stderr()).isZero();
            assertThat(verify.stdout()).startsWith("audit_log on jdbc:postgresql:").contains("the chain is intact");
        }
        Cli.Result verdict = Cli.run(root, nodes.get(1).port, "audit", "verify", "--json",
                "--config", nodes.get(1).config.toString());
        JsonNode json = JSON.readTree(verdict.stdout());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("file").isNull()).isTrue();
        long entries = json.get("entries").asLong();

        List<JsonNode> reloads = nodes.get(2).audit("?limit=1000");
        Set<String> writers = new TreeSet<>();
        reloads.stream().filter(e -> e.path("trigger").asText().equals("api")).forEach(e -> writers.add(e.get("node").asText()));
        assertThat(writers).as("nodes whose API reloads are in the chain").containsExactly("a", "b", "c");

        Path export = root.resolve("audit-export.jsonl");
        Cli.Result exported = Cli.run(root, nodes.get(0).port, "audit", "export", "--out", export.toString());
        assertThat(exported.exit()).as(exported.stderr()).isZero();
        List<String> lines = Files.readAllLines(export);
        assertThat((long) lines.size()).as("exported entries, at least those verified before").isGreaterThanOrEqualTo(entries);

        Cli.Result offline = Cli.run(root, 1, "audit", "verify", "--file", export.toString());
        assertThat(offline.exit()).as(offline.stderr()).isZero();
        assertThat(offline.stdout()).contains("the chain is intact (" + lines.size() + " entries)");

        int edited = lines.size() / 2;
        lines.set(edited - 1, lines.get(edited - 1).replace("\"node\":\"", "\"node\":\"x"));
        Files.write(export, lines);
        Cli.Result tampered = Cli.run(root, 1, "audit", "verify", "--file", export.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.stderr()).contains(export + ":line " + (edited + 1)
                + ": prev does not match the SHA-256 of line " + edited);
    }

    /** Each node adds loop types to its own config dir and reloads through its API, the three at once. */
    private void reloadOnEveryNodeAtOnce() throws Exception {
        List<Future<?>> reloads = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(nodes.size())) {
            for (DaemonProcess node : nodes) {
                reloads.add(threads.submit(() -> {
                    for (int i = 1; i <= RELOADS_PER_NODE; i++) {
                        node.file("loop-types/extra-" + i + ".toml", """
                                command = "true"

                                [validation]
                                command = "true"
                                """);
                        var answer = node.post("/v1/reload", "");
                        assertThat(answer.statusCode()).as(answer.body() + "; its log:\n" + node.logText()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> reload : reloads) {
                reload.get();
            }
        }
    }

    private DaemonProcess node(String name, PostgresTarget db) throws IOException {
        return node(name, db, Duration.ofSeconds(3), Duration.ofSeconds(1), "", "");
    }
}
