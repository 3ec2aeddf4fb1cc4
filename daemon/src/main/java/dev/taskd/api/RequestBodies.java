package dev.taskd.api;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies, read once for every route by the API's filter so that {@link RequestDeadline}
 * knows when a body is in, whichever handler runs and however long it then takes. Bodies are at
 * most {@link ApiServer#MAX_BODY_BYTES}, which Helidon enforces while they are read.
 */
final class RequestBodies {

    /** The body as read, registered in the request's context. */
    private record Body(byte[] bytes) {
    }

    private RequestBodies() {
    }

    /** Reads the whole body, when there is one, and ends its deadline. Blocks the request's thread. */
    static void receive(ServerRequest request, RequestDeadline deadline) {
        if (!request.content().hasEntity()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = request.content().as(byte[].class);
        } catch (DataReader.InsufficientDataAvailableException e) {
            // The connection closed before the body ended: the client left, or its deadline
            // passed. Nobody is left to answer, and it is not the daemon's error to log.
            throw new CloseConnectionException("the request body ended early: the client left or stalled", e);
        }
        deadline.bodyReceived(request);
        request.context().register(new Body(bytes));
    }

    /** The body as UTF-8 text; "" when the request had none. */
    static String text(ServerRequest request) {
        return request.context().get(Body.class).map(body -> new String(body.bytes(), StandardCharsets.UTF_8)).orElse("");
    }
}
