package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads {@code GET /v1/loops/{id}/output} as server-sent events, handing each event's data to a
 * consumer, until the daemon ends the stream. A connection that breaks is opened again with the
 * last event's id as {@code Last-Event-ID}, so nothing is printed twice or skipped; after
 * {@link #MAX_RECONNECTS} breaks in a row it gives up.
 */
final class OutputStreamReader {

    static final int MAX_RECONNECTS = 10;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final HttpExchange http;
    private String lastEventId;

    OutputStreamReader(HttpExchange http) {
        this.http = http;
    }

    /** Reads {@code path} (under {@code /v1}) until the daemon ends it; each event's data as JSON. */
    void read(String path, Consumer<JsonNode> onEvent) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(HttpExchange.CONNECT_TIMEOUT)
                .proxy(HttpClient.Builder.NO_PROXY).build();
        int breaks = 0;
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.baseUrl() + "/v1" + path))
                    .header("Accept", "text/event-stream").GET();
            if (http.token() != null) {
                request.header("Authorization", "Bearer " + http.token());
            }
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    throw HttpExchange.refusal("GET", path, new HttpExchange.Answer(response.statusCode(), body));
                }
                events(response.body(), onEvent);
                return;
            } catch (ConnectException e) {
                if (lastEventId == null) {
                    throw new DaemonUnreachable(http.baseUrl(), String.valueOf(e.getMessage()), e);
                }
                breaks++;
            } catch (IOException e) {
                breaks++;
            }
            if (breaks > MAX_RECONNECTS) {
                throw new ApiError(0, "io", "the output stream of GET " + path + " broke " + breaks + " times in a row");
            }
            Thread.sleep(RECONNECT_DELAY);
        }
    }

    /** Parses the stream: {@code id:} and {@code data:} lines, an empty line ends an event. */
    private void events(InputStream body, Consumer<JsonNode> onEvent) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String id = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    onEvent.accept(DaemonClient.JSON.readTree(data.toString()));
                    if (id != null) {
                        lastEventId = id;
                    }
                }
                data.setLength(0);
                id = null;
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(field(line, 5));
            } else if (line.startsWith("id:")) {
                id = field(line, 3);
            }
        }
    }

    private static String field(String line, int from) {
        String value = line.substring(from);
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
