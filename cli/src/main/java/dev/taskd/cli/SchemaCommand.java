package dev.taskd.cli;

import dev.taskd.config.ConfigSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taskd schema}: the JSON Schemas of {@code taskd.toml} and of a loop-type file, made from
 * the key table, for editors (Taplo) and for checking files without taskd. {@code --write schema}
 * regenerates the shipped copies after a key is added.
 */
@Command(name = "schema",
        mixinStandardHelpOptions = true,
        description = {
            "Print the JSON Schema of taskd.toml or of a loop-type file.",
            "Both are made from the key table; --write DIR writes both, and",
            "'taskd schema --write schema' regenerates the shipped ones.",
            ""
        })
final class SchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Parameters(paramLabel = "NAME", completionCandidates = Names.class,
                description = "which schema to print: taskd or loop-type")
        String name;

        @Option(names = "--write", paramLabel = "DIR",
                description = "write " + ConfigSchemas.TASKD_FILE + " and " + ConfigSchemas.LOOP_TYPE_FILE + " into DIR")
        Path directory;
    }

    /** The names {@code NAME} takes, for the usage and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("taskd", "loop-type").iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        Map<String, String> files = ConfigSchemas.files();
        if (choice.directory == null) {
            String file = switch (choice.name) {
                case "taskd" -> ConfigSchemas.TASKD_FILE;
                case "loop-type" -> ConfigSchemas.LOOP_TYPE_FILE;
                default -> throw new ParameterException(spec.commandLine(),
                        "unknown schema '" + choice.name + "'; use taskd or loop-type");
            };
            spec.commandLine().getOut().print(files.get(file));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        Files.createDirectories(choice.directory);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = choice.directory.resolve(file.getKey());
            Files.writeString(target, file.getValue());
            spec.commandLine().getErr().println("wrote " + target);
        }
        return ExitCode.OK;
    }
}
