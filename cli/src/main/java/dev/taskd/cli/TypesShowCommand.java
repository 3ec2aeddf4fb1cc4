package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskd types show NAME}: one loop type and its inputs. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = {"Show a loop type: action, version, limits and its inputs.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  shown", "  1  no such loop type", "  3  no daemon answered"})
final class TypesShowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the loop type's name")
    String name;

    @Override
    public Integer call() {
        JsonNode type = client().get("/loop-types/" + DaemonClient.segment(name));
        if (json()) {
            printJson(type);
            return ExitCode.OK;
        }
        Table fields = new Table("", "");
        fields.row("name:", Format.text(type, "name"));
        fields.row("description:", Format.text(type, "description"));
        fields.row("action:", TypesListCommand.action(type));
        fields.row("version:", Format.text(type, "version"));
        fields.row("generation:", Format.text(type, "generation"));
        fields.row("max iterations:", Format.text(type, "max_iterations"));
        fields.lines().stream().skip(1).forEach(out()::println);

        out().println();
        JsonNode inputs = type.path("inputs");
        if (inputs.isEmpty()) {
            out().println("no inputs");
        } else {
            Table table = new Table("INPUT", "REQUIRED", "DEFAULT", "DESCRIPTION");
            for (JsonNode input : inputs) {
                boolean required = input.path("required").asBoolean(true);
                table.row(input.isTextual() ? input.asText() : Format.text(input, "name"), required ? "yes" : "no",
                        required ? null : Format.text(input, "default"), Format.text(input, "description"));
            }
            out().print(table);
        }
        out().flush();
        return ExitCode.OK;
    }
}
