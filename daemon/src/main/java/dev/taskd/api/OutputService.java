package dev.taskd.api;

import dev.taskd.loop.LoopEngine;
import dev.taskd.process.OutputHub;
import dev.taskd.store.LoopRecord;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/loops/{id}/output}: a loop's command output. By default server-sent events that
 * follow the running iteration and the ones after it until the loop ends ({@link OutputFollower});
 * with {@code ?iteration=N}, that iteration's stored output and then the end; with
 * {@code ?follow=false}, plain text of that iteration (default: the latest). {@code ?command=}
 * ({@code action} or {@code validation}) keeps one command's output.
 */
final class OutputService implements HttpService {

    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final Pattern EVENT_ID = Pattern.compile("(\\d{1,9})/(action|validation)/(stdout|stderr)/(\\d{1,18})");

    private final LoopEngine engine;
    private final OutputHub hub;

    OutputService(LoopEngine engine, OutputHub hub) {
        this.engine = engine;
        this.hub = hub;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/loops/{id}/output", this::output).any("/loops/{id}/output", Allow.only("GET"));
    }

    private void output(ServerRequest request, ServerResponse response) throws IOException {
        LoopRecord loop = engine.find(request.path().pathParameters().get("id"));
        Optional<Integer> iteration = request.query().first("iteration").map(text -> iteration(text, loop));
        boolean follow = request.query().first("follow").map(OutputService::flag).orElse(true);
        List<String> commands = request.query().first("command").map(OutputService::command)
                .orElse(OutputHub.COMMANDS);
        Optional<OutputHub.Position> resume = request.headers().first(LAST_EVENT_ID).map(String::strip)
                .filter(text -> !text.isEmpty()).map(OutputService::position);
        if (!follow) {
            plain(response, loop, iteration.orElse(loop.iterations()), commands);
            return;
        }
        OutputFollower follower = new OutputFollower(engine, hub, loop.id(), commands);
        try (SseWriter sink = new SseWriter(response)) {
            sink.open("taskd output of loop " + loop.id(), EventStream.RECONNECT_DELAY);
            if (iteration.isPresent()) {
                follower.replay(sink, iteration.get(), resume.orElse(null));
            } else {
                follower.follow(sink, resume.orElse(null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The client went away.
        }
    }

    /** The stored output of one iteration, its commands one after the other. */
    private void plain(ServerResponse response, LoopRecord loop, int iteration, List<String> commands) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (String command : commands) {
            text.write(OutputFollower.readFile(hub.file(loop.id(), iteration, command), 0, Long.MAX_VALUE));
        }
        response.status(200);
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.send(text.toByteArray());
    }

    private static int iteration(String text, LoopRecord loop) {
        try {
            int number = Integer.parseInt(text);
            if (number >= 1 && number <= loop.iterations()) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("iteration must be an iteration of loop " + loop.id() + ", from 1 to "
                + loop.iterations() + "; found '" + abbreviate(text) + "'");
    }

    private static boolean flag(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("follow must be true or false; found '" + abbreviate(text) + "'");
        };
    }

    private static List<String> command(String text) {
        if (!OutputHub.COMMANDS.contains(text)) {
            throw ApiException.badRequest("command must be action or validation; found '" + abbreviate(text) + "'");
        }
        return List.of(text);
    }

    /** Where a {@code Last-Event-ID} says the client got to; see {@link OutputFollower#eventId}. */
    private static OutputHub.Position position(String text) {
        Matcher id = EVENT_ID.matcher(text);
        if (!id.matches()) {
            throw ApiException.badRequest("Last-Event-ID '" + abbreviate(text) + "' is not an output event id"
                    + " (ITERATION/COMMAND/STREAM/OFFSET): send the id of the last output event received,"
                    + " or no header to start at the running iteration");
        }
        return new OutputHub.Position(Integer.parseInt(id.group(1)), id.group(2), Long.parseLong(id.group(4)));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
