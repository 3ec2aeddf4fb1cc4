package dev.taskd.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The candidate files of {@code taskd reload [--dry-run] --from DIR|FILE} and {@code --file REL=PATH},
 * named as the configuration is laid out ({@code taskd.toml}, {@code loop-types/NAME},
 * {@code templates/NAME}; a FILE is {@code taskd.toml}), as the body of {@code POST /v1/reload}.
 */
final class PlanCandidates {

    private static final List<String> FOLDERS = List.of("loop-types", "templates");

    private PlanCandidates() {
    }

    /** @throws CommandLine.ParameterException for a directory or file that cannot be used (exit 2) */
    static ObjectNode body(CommandLine commandLine, Path from, List<String> files) {
        Map<String, String> sources = new TreeMap<>();
        if (from != null) {
            sources.putAll(fromDirectory(commandLine, from));
        }
        for (String file : files) {
            int equals = file.indexOf('=');
            if (equals <= 0 || equals == file.length() - 1) {
                throw new CommandLine.ParameterException(commandLine, "--file " + file
                        + ": expected REL=PATH, like loop-types/ralph.toml=./ralph.new.toml");
            }
            sources.put(file.substring(0, equals), read(commandLine, Path.of(file.substring(equals + 1)), "--file"));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode candidates = body.putObject("sources");
        sources.forEach(candidates::put);
        return body;
    }

    private static Map<String, String> fromDirectory(CommandLine commandLine, Path from) {
        Map<String, String> sources = new TreeMap<>();
        if (Files.isRegularFile(from)) {
            sources.put("taskd.toml", read(commandLine, from, "--from"));
            return sources;
        }
        if (!Files.isDirectory(from)) {
            throw new CommandLine.ParameterException(commandLine, "--from " + from
                    + ": neither a directory laid out like the configuration nor a taskd.toml");
        }
        if (Files.isRegularFile(from.resolve("taskd.toml"))) {
            sources.put("taskd.toml", read(commandLine, from.resolve("taskd.toml"), "--from"));
        }
        for (String folder : FOLDERS) {
            Path directory = from.resolve(folder);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> listed = Files.list(directory)) {
                for (Path file : listed.filter(Files::isRegularFile).sorted().toList()) {
                    sources.put(folder + "/" + file.getFileName(), read(commandLine, file, "--from"));
                }
            } catch (IOException e) {
                throw new CommandLine.ParameterException(commandLine, "--from " + directory + ": cannot list: " + e);
            }
        }
        if (sources.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "--from " + from
                    + ": holds none of taskd.toml, loop-types/, templates/; lay it out like the configuration");
        }
        return sources;
    }

    private static String read(CommandLine commandLine, Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(commandLine, option + " " + file + ": cannot read: " + e);
        }
    }
}
