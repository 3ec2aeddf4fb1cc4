package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.concurrent.Threads;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * What {@code taskd run --follow} prints while a loop runs: its live output (the stream
 * {@code taskd logs --follow} reads, on a thread of its own), each iteration's outcome, and what
 * the loop waits for between iterations ({@code waiting} of {@code GET /v1/loops/{id}}, read
 * every {@link #POLL_MILLIS}), until the loop ends. For people, lines of text; with
 * {@code --json}, one JSON object per event ({@code "event"}: {@code output}, {@code iteration},
 * {@code waiting}, {@code finished}). Both threads print through {@link #print}, one at a time.
 */
final class RunFollower {

    static final long POLL_MILLIS = 500;
    /** How long the output may take to arrive whole once the loop has ended. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(10);

    private final DaemonClient client;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Object printing = new Object();
    private boolean atLineStart = true; // guarded by printing

    RunFollower(DaemonClient client, PrintWriter out, PrintWriter err, boolean json) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Follows loop {@code id} until it ends; its final state as the API has it. */
    JsonNode follow(String id) throws InterruptedException {
        String path = "/loops/" + DaemonClient.segment(id);
        Thread output = Threads.startVirtual("follow-output", () -> readOutput(path + "/output"));
        long printed = 0;
        String lastWaiting = null;
        while (true) {
            JsonNode loop = client.get(path);
            for (JsonNode iteration : client.get(path + "/iterations").path("iterations")) {
                long number = iteration.path("number").asLong();
                if (number > printed && Format.text(iteration, "ended_at") != null) {
                    printEvent("iteration", iteration, Format.iterationLine(iteration));
                    printed = number;
                }
            }
            JsonNode waiting = loop.path("waiting");
            String key = waiting.isObject() ? waiting.toString() : null;
            if (key != null && !Objects.equals(key, lastWaiting)) {
                printEvent("waiting", waiting, waitingLine(waiting));
            }
            lastWaiting = key;
            if (Format.terminal(Format.text(loop, "state"))) {
                output.join(OUTPUT_DRAIN);
                return loop;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The loop's live output, until the daemon ends the stream with the loop. */
    private void readOutput(String path) {
        try {
            new OutputStreamReader(client.http()).read(path, chunk -> printEvent("output", chunk,
                    Format.text(chunk, "text")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (printing) {
                err.println("taskd: no live output (" + e.getMessage() + "); iterations are still shown");
                err.flush();
            }
        }
    }

    /**
     * One event: with {@code --json} its fields on one line after {@code "event": NAME}; for
     * people {@code text} as it is for output, else on a line of its own.
     */
    void printEvent(String event, JsonNode fields, String text) {
        synchronized (printing) {
            if (json) {
                ObjectNode line = DaemonClient.JSON.createObjectNode().put("event", event);
                fields.properties().forEach(field -> line.set(field.getKey(), field.getValue()));
                out.println(line);
            } else if (event.equals("output")) {
                out.print(text);
                atLineStart = text.isEmpty() ? atLineStart : text.endsWith("\n");
            } else {
                if (!atLineStart) {
                    out.println();
                }
                out.println(text);
                atLineStart = true;
            }
            out.flush();
        }
    }

    /**
     * {@code next iteration in 58s (exponential backoff)}, {@code queued: 12 ahead},
     * {@code waiting for loop 01J…}.
     */
    static String waitingLine(JsonNode waiting) {
        return switch (String.valueOf(Format.text(waiting, "reason"))) {
            case "backoff", "delay" -> "next iteration in " + untilNow(Format.text(waiting, "until"))
                    + " (" + Format.text(waiting, "detail") + ")";
            case "queued" -> "queued: " + Format.text(waiting, "detail");
            default -> String.valueOf(Format.text(waiting, "detail"));
        };
    }

    private static String untilNow(String until) {
        try {
            return Format.duration(Duration.between(Instant.now(), Instant.parse(until)));
        } catch (DateTimeParseException | NullPointerException e) {
            return "a moment";
        }
    }
}
