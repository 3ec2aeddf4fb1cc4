package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code taskd types list}: the loaded loop types. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {"List the loop types: NAME, ACTION, VERSION, INPUTS ([optional]), DESCRIPTION.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  listed", "  1  the daemon refused", "  3  no daemon answered"})
final class TypesListCommand extends ClientCommand {

    @Override
    public Integer call() {
        JsonNode answer = client().get("/loop-types");
        if (json()) {
            printJson(answer);
            return ExitCode.OK;
        }
        JsonNode types = answer.path("loop_types");
        if (types.isEmpty()) {
            err().println("no loop types loaded");
            return ExitCode.OK;
        }
        Table table = new Table("NAME", "ACTION", "VERSION", "INPUTS", "DESCRIPTION");
        for (JsonNode type : types) {
            table.row(Format.text(type, "name"), action(type), Format.first(Format.text(type, "version"), 12),
                    inputs(type.path("inputs")), Format.text(type, "description"));
        }
        out().print(table);
        out().flush();
        return ExitCode.OK;
    }

    /** {@code script} or {@code command}; {@code abstract} for a type that only exists to be extended. */
    static String action(JsonNode type) {
        if (type.path("abstract").asBoolean(false)) {
            return "abstract";
        }
        return Format.text(type, "action");
    }

    /** Input names, optional ones in brackets: {@code target [files]}. */
    static String inputs(JsonNode inputs) {
        List<String> names = new ArrayList<>();
        for (JsonNode input : inputs) {
            String name = input.isTextual() ? input.asText() : Format.text(input, "name");
            names.add(input.path("required").asBoolean(true) ? name : "[" + name + "]");
        }
        return String.join(" ", names);
    }
}
