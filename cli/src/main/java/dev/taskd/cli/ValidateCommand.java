package dev.taskd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.Finding;
import dev.taskd.config.LoadResult;
import dev.taskd.script.GraalScriptCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskd validate}: checks a configuration offline, the way the daemon would load it, like
 * {@code nginx -t}. Stdout carries only the findings and a summary.
 */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check taskd.toml and every loop type and template it points to, without a daemon.",
            "Prints every finding as FILE:LINE:COLUMN: MESSAGE, then a summary.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the configuration is valid (warnings may be printed)", "  4  it is not"})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--json", description = "print {\"valid\", \"errors\", \"warnings\", \"findings\": [...]} as JSON (the"
            + " summary line goes to stderr)")
    boolean json;

    @Override
    public Integer call() {
        Path config = configOption.resolve();
        Path workingDirectory = Path.of("").toAbsolutePath();
        LoadResult result = new ConfigLoader(workingDirectory, new GraalScriptCheck()).load(config);
        PrintWriter out = spec.commandLine().getOut();
        String summary = summary(config, workingDirectory, result);
        if (json) {
            out.println(asJson(result));
            spec.commandLine().getErr().println(summary);
        } else {
            result.findings().forEach(out::println);
            out.println(summary);
        }
        out.flush();
        return result.valid() ? ExitCode.OK : ExitCode.INVALID_CONFIG;
    }

    private static String summary(Path config, Path workingDirectory, LoadResult result) {
        Path absolute = config.toAbsolutePath().normalize();
        String name = absolute.startsWith(workingDirectory) ? workingDirectory.relativize(absolute).toString()
                : absolute.toString();
        String warnings = result.warnings() == 0 ? "" : ", " + count(result.warnings(), "warning");
        if (result.snapshot().isPresent()) {
            var snapshot = result.snapshot().get();
            return name + ": configuration is valid (" + count(snapshot.loopTypes().size(), "loop type") + ", "
                    + count(snapshot.templates().size(), "template") + warnings + ")";
        }
        return name + ": configuration is invalid (" + count(result.errors(), "error") + warnings + ")";
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** An envelope, as the API answers: the verdict and its counts, then the findings. */
    private static String asJson(LoadResult result) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode envelope = mapper.createObjectNode().put("valid", result.valid()).put("errors", result.errors())
                .put("warnings", result.warnings());
        ArrayNode array = envelope.putArray("findings");
        for (Finding finding : result.findings()) {
            ObjectNode node = array.addObject();
            node.put("file", finding.file());
            node.put("line", finding.position().line());
            node.put("column", finding.position().column());
            node.put("severity", finding.severity().label());
            node.put("message", finding.message());
            node.put("fix", finding.fix());
        }
        return envelope.toPrettyString();
    }
}
