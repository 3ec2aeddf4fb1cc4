package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code taskd run TYPE --input k=v}: submits a loop and prints its id; with {@code --follow},
 * prints what {@link RunFollower} shows until the loop ends and exits with its outcome.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Submit a loop of a loop type and print its id.",
            "The submission carries an Idempotency-Key and is sent again with it (at most 3 times)",
            "when no answer comes or the daemon is restarting, so it never makes two loops.",
            "With --follow, print the loop's output as it is written, each iteration's outcome",
            "and what the loop waits for between iterations, until it finishes; with --json,",
            "one JSON object per line for each of those events.",
            "Ctrl-C stops following, the loop keeps running.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  submitted; with --follow: the loop succeeded",
            "  1  refused (unknown type or input, queue full, ...);",
            "     with --follow: the loop failed or was cancelled",
            "  2  usage error, such as an --input without '='",
            "  3  no daemon answered"})
final class RunCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "TYPE", description = "the loop type")
    String type;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=VALUE", converter = InputConverter.class,
            description = "an input of the loop type; repeat for several (the value may contain '=')")
    List<Input> inputList = new ArrayList<>();

    @Option(names = {"-p", "--priority"}, paramLabel = "N", description = "higher runs first (default: 0)")
    Integer priority;

    @Option(names = "--after", paramLabel = "ID", description = "start only after this loop ended; repeat for several")
    List<String> after = new ArrayList<>();

    @Option(names = {"-f", "--follow"}, description = "print output, outcomes and waits until the loop finishes")
    boolean follow;

    /** One {@code --input NAME=VALUE}. */
    record Input(String name, String value) {
    }

    /** Splits {@code NAME=VALUE} at the first '='; without one, the argument is a usage error that names it. */
    static final class InputConverter implements ITypeConverter<Input> {
        @Override
        public Input convert(String argument) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new TypeConversionException("'" + argument + "' "
                        + (equals < 0 ? "has no '='" : "has no name before '='") + "; write NAME=VALUE");
            }
            return new Input(argument.substring(0, equals), argument.substring(equals + 1));
        }
    }

    /** The inputs by name, in the order given; a repeated name keeps its last value. */
    Map<String, String> inputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputList.forEach(input -> inputs.put(input.name(), input.value()));
        return inputs;
    }

    @Override
    public Integer call() {
        ObjectNode body = DaemonClient.JSON.createObjectNode();
        body.put("type", type);
        ObjectNode inputsNode = body.putObject("inputs");
        inputs().forEach(inputsNode::put);
        if (priority != null) {
            body.put("priority", priority);
        }
        if (!after.isEmpty()) {
            after.forEach(body.putArray("after")::add);
        }
        JsonNode loop = new IdempotentPost(client()).post("/loops", body);
        String id = Format.text(loop, "id");
        if (!follow) {
            if (json()) {
                printJson(loop);
            } else {
                out().println("submitted loop " + id + " (" + Format.text(loop, "type") + ")");
                out().flush();
            }
            return ExitCode.OK;
        }
        RunFollower follower = new RunFollower(client(), out(), err(), json());
        follower.printEvent("submitted", json() ? DaemonClient.JSON.createObjectNode().set("loop", loop)
                : loop, "submitted loop " + id + " (" + Format.text(loop, "type") + ")");
        return follow(id, follower);
    }

    private int follow(String id, RunFollower follower) {
        Thread hook = new Thread(() -> {
            err().println("taskd: stopped following; loop " + id + " keeps running (see 'taskd loops show " + id + "')");
            err().flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            JsonNode loop = follower.follow(id);
            follower.printEvent("finished", json() ? DaemonClient.JSON.createObjectNode().set("loop", loop) : loop,
                    Format.loopLine(loop));
            return "succeeded".equals(Format.text(loop, "state")) ? ExitCode.OK : ExitCode.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("taskd: stopped following; loop " + id + " keeps running");
            return ExitCode.FAILURE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook says so.
            }
        }
    }
}
