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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskd audit verify}: checks the audit log's hash chain offline, so it works with the
 * daemon stopped. The log is {@code DATA_DIR/audit.jsonl} of the config, or {@code --file}.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Check the audit log's hash chain: every line parses, sequence numbers follow",
            "each other, and each line carries the SHA-256 of the one before.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the chain is intact", "  1  it is broken (the first broken line is named)"})
final class AuditVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--file", paramLabel = "FILE", description = "the audit log to check (default: DATA_DIR/audit.jsonl)")
    Path file;

    @Option(names = "--json", description = "print the verdict as JSON: {\"file\", \"ok\", \"entries\", \"broken_line\","
            + " \"reason\"}")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Path log = file != null ? file : auditLogOf(configOption.resolve());
        VerifyResult result = AuditLog.verify(log);
        if (json) {
            ObjectNode verdict = JsonNodeFactory.instance.objectNode().put("file", log.toString()).put("ok", result.ok())
                    .put("entries", result.lines());
            if (result.ok()) {
                verdict.putNull("broken_line").putNull("reason");
            } else {
                verdict.put("broken_line", result.brokenLine()).put("reason", result.reason());
            }
            spec.commandLine().getOut().println(verdict.toPrettyString());
            spec.commandLine().getOut().flush();
            return result.ok() ? ExitCode.OK : ExitCode.FAILURE;
        }
        if (result.ok()) {
            spec.commandLine().getOut().println(log + ": the chain is intact");
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        spec.commandLine().getErr().println(log + ":" + result.message());
        spec.commandLine().getErr().flush();
        return ExitCode.FAILURE;
    }

    /** {@code daemon.data-dir} of the config, resolved beside it, plus {@code audit.jsonl}. */
    private static Path auditLogOf(Path config) throws IOException {
        String dataDir = "../.taskd";
        if (Files.exists(config)) {
            JsonNode node = new TomlMapper().readTree(config.toFile()).path("daemon").path("data-dir");
            if (node.isTextual()) {
                dataDir = node.asText();
            }
        }
        return config.toAbsolutePath().normalize().getParent().resolve(dataDir).normalize().resolve("audit.jsonl");
    }
}
