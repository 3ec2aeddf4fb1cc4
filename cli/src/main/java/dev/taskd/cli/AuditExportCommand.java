package dev.taskd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskd audit export [--out FILE]}: the whole audit log as JSON lines, byte for byte as
 * chained, from the daemon ({@code GET /v1/audit/export}); in a cluster, the database's log that
 * every node appends to. {@code taskd audit verify --file FILE} checks the export offline.
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {"Write the whole audit log as JSON lines, as chained, for offline checks:",
            "'taskd audit verify --file FILE' verifies the export with no daemon and no database.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  written", "  1  the daemon refused, or FILE cannot be written", "  3  no daemon answered"})
final class AuditExportCommand extends ClientCommand {

    @Option(names = "--out", paramLabel = "FILE", description = "write here (replaced whole, once complete) instead of stdout")
    Path outFile;

    @Override
    public Integer call() throws IOException {
        HttpExchange.Answer answer = client().http().send("GET", "/audit/export", null, Map.of());
        if (!answer.success()) {
            throw HttpExchange.refusal("GET", "/audit/export", answer);
        }
        if (outFile == null) {
            out().print(answer.text());
            out().flush();
            return ExitCode.OK;
        }
        Path absolute = outFile.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.writeString(partial, answer.text(), StandardCharsets.UTF_8);
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        err().println(outFile + ": " + answer.text().lines().count() + " entries");
        err().flush();
        return ExitCode.OK;
    }
}
