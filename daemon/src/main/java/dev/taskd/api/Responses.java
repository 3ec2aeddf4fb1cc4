package dev.taskd.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Writes JSON answers. */
final class Responses {

    private Responses() {
    }

    static void json(ServerResponse response, int status, JsonNode body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(ApiJson.write(body) + "\n");
    }

    static void error(ServerResponse response, int status, String code, String message) {
        json(response, status, ApiJson.error(code, message));
    }
}
