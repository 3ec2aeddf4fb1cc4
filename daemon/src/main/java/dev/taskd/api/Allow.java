package dev.taskd.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;

/**
 * The 405 answer for a known path asked with a method it does not serve. Helidon answers 404
 * for a path whose routes all have other methods, so each service registers one of these with
 * {@code any(path, ...)} after the path's own routes: the first matching route wins.
 */
final class Allow {

    private Allow() {
    }

    /** Answers 405 {@code method_not_allowed} with {@code Allow: METHODS}, e.g. {@code only("GET", "POST")}. */
    static Handler only(String... methods) {
        String allow = String.join(", ", methods);
        return (request, response) -> {
            response.header(HeaderNames.ALLOW, allow);
            Responses.error(response, 405, "method_not_allowed", request.prologue().method().text() + " "
                    + request.path().path() + " is not served; use " + allow);
        };
    }
}
