package dev.taskd.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 document of this API, as the repository's
 * {@code docs/openapi.json} was when the jar was built. It holds no data, but like every endpoint
 * but health and ready it needs the token when one is configured; the repository's copy needs none.
 */
final class OpenApiService implements HttpService {

    /** Where the build puts {@code docs/openapi.json} in the jar. */
    static final String RESOURCE = "/dev/taskd/api/openapi.json";

    private final byte[] document;

    OpenApiService() {
        this.document = read();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", this::document).any("/openapi.json", Allow.only("GET"));
    }

    private void document(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(document);
    }

    /** The document's bytes; a jar without them is a broken build, so a start fails. */
    private static byte[] read() {
        try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the jar; the build copies docs/openapi.json there");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
