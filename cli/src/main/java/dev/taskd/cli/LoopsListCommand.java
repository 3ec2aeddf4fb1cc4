package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.loop.LoopEvent;
import dev.taskd.store.LoopState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code taskd loops list}: loops, oldest first or {@code --newest} first, page after page up to
 * {@code --limit}, from {@code --after ID} on.
 */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {"List loops, oldest first (or newest first with --newest): ID, TYPE, STATE, ITER,",
            "PRIORITY, UPDATED. When more follow, the last line on stderr gives the --after for the next page.",
            ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  listed (perhaps none)", "  1  the daemon refused", "  2  a bad option value",
                  "  3  no daemon answered"})
final class LoopsListCommand extends ClientCommand {

    /** The states {@code --state} takes, as the API names them. */
    static final List<String> STATES = Arrays.stream(LoopState.values()).map(LoopEvent::label).toList();

    @Option(names = {"-s", "--state"}, paramLabel = "STATE",
            description = "only loops in this state: queued, running, paused, blocked, succeeded, failed, cancelled")
    String state;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "only loops of this loop type")
    String type;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
            description = "at most N loops (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--newest", description = "newest first (default: oldest first)")
    boolean newest;

    @Option(names = "--after", paramLabel = "ID",
            description = "the loops after this one in the chosen order: the next page, from the ID the last page"
                    + " ended with")
    String after;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1; found " + limit);
        }
        OptionValues.oneOf(spec, "--state", state, STATES);
        ArrayNode loops = DaemonClient.JSON.createArrayNode();
        String cursor = after;
        String next;
        do {
            Map<String, Object> parameters = DaemonClient.parameters();
            parameters.put("state", state);
            parameters.put("type", type);
            parameters.put("limit", limit - loops.size());
            parameters.put("after", cursor);
            parameters.put("order", newest ? "newest" : null);
            JsonNode page = client().get("/loops" + DaemonClient.query(parameters));
            for (JsonNode loop : page.path("loops")) {
                if (loops.size() < limit) {
                    loops.add(loop);
                }
            }
            next = Format.text(page, "next");
            if (next != null && next.equals(cursor)) {
                break; // a daemon that repeats its cursor would keep us here forever
            }
            cursor = next;
        } while (next != null && loops.size() < limit);

        if (json()) {
            ObjectNode answer = DaemonClient.JSON.createObjectNode();
            answer.set("loops", loops);
            answer.put("next", next);
            printJson(answer);
            return ExitCode.OK;
        }
        if (loops.isEmpty()) {
            err().println("no loops" + (state != null || type != null ? " match" : ""));
            return ExitCode.OK;
        }
        Table table = new Table("ID", "TYPE", "STATE", "ITER", "PRIORITY", "UPDATED");
        Colour colour = Colour.forStdout();
        for (JsonNode loop : loops) {
            table.row(Format.text(loop, "id"), Format.text(loop, "type"), colour.state(Format.text(loop, "state")),
                    Format.text(loop, "iterations"), Format.text(loop, "priority"),
                    Format.time(Format.text(loop, "updated_at")));
        }
        out().print(table);
        out().flush();
        if (next != null) {
            err().println("more loops follow: the next page with --after " + next + ", or raise --limit");
        }
        return ExitCode.OK;
    }
}
