package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.taskd.audit.AuditLog;
import dev.taskd.audit.VerifyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskd audit verify}: checks the audit log's hash chain. A file ({@code --file}, or
 * {@code DATA_DIR/audit.jsonl} of the config on SQLite) is checked offline, so it works with the
 * daemon stopped; on PostgreSQL ({@code storage.backend = "postgres"}) the log is the cluster's
 * table, which a node checks ({@code GET /v1/audit/verify}), any node for all of them.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Check the audit log's hash chain: every line parses, sequence numbers follow",
            "each other, and each line carries the SHA-256 of the one before. On SQLite, and with --file",
            "(an export, say), the file is read here, daemon or not; on PostgreSQL a node checks the",
            "cluster's log in the database.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the chain is intact", "  1  it is broken (the first broken line is named)",
            "  3  on PostgreSQL, no daemon answered"})
final class AuditVerifyCommand extends ClientCommand {

    @Option(names = "--file", paramLabel = "FILE",
            description = "the audit log file to check (default: DATA_DIR/audit.jsonl; on PostgreSQL, the database's)")
    Path file;

    /**
     * Prints the verdict; with {@code --json}
     * {@code {"log", "file", "ok", "entries", "broken_line", "reason"}} ({@code file} null for the database).
     */
    @Override
    public Integer call() throws IOException {
        Path config = ConfigOption.resolve(options.config);
        JsonNode verdict;
        if (file == null && postgres(config)) {
            verdict = client().get("/audit/verify");
            ((ObjectNode) verdict).putNull("file");
        } else {
            Path log = file != null ? file : auditLogOf(config);
            verdict = verdict(log, AuditLog.verify(log));
        }
        boolean ok = verdict.path("ok").asBoolean();
        String log = verdict.path("log").asText();
        if (json()) {
            printJson(verdict);
        } else if (ok) {
            out().println(log + ": the chain is intact (" + verdict.path("entries").asLong() + " entries)");
            out().flush();
        } else {
            err().println(log + ":line " + verdict.path("broken_line").asLong() + ": " + verdict.path("reason").asText());
            err().flush();
        }
        return ok ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static ObjectNode verdict(Path log, VerifyResult result) {
        ObjectNode verdict = JsonNodeFactory.instance.objectNode().put("log", log.toString())
                .put("file", log.toString()).put("ok", result.ok()).put("entries", result.lines());
        if (result.ok()) {
            return verdict.putNull("broken_line").putNull("reason");
        }
        return verdict.put("broken_line", result.brokenLine()).put("reason", result.reason());
    }

    /** Whether the config's {@code storage.backend} is {@code postgres}. */
    private static boolean postgres(Path config) throws IOException {
        return "postgres".equals(toml(config).path("storage").path("backend").asText());
    }

    /** {@code daemon.data-dir} of the config, resolved beside it, plus {@code audit.jsonl}. */
    private static Path auditLogOf(Path config) throws IOException {
        JsonNode node = toml(config).path("daemon").path("data-dir");
        String dataDir = node.isTextual() ? node.asText() : "../.taskd";
        return config.toAbsolutePath().normalize().getParent().resolve(dataDir).normalize().resolve("audit.jsonl");
    }

    private static JsonNode toml(Path config) throws IOException {
        return Files.exists(config) ? new TomlMapper().readTree(config.toFile()) : JsonNodeFactory.instance.objectNode();
    }
}
