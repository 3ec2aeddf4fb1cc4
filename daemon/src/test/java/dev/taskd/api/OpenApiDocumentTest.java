package dev.taskd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.store.Store;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/openapi.json} is a valid OpenAPI 3.1 document by a real parser (swagger-parser,
 * offline), the jar serves that same file, and it documents exactly the routes the API registers.
 * That every documented route answers as documented is {@code OpenApiEndToEndTest}'s part, against
 * the real daemon.
 */
class OpenApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @TempDir
    Path dataDir;

    @Test
    void theDocumentIsValidOpenApi31ByTheSwaggerParser() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(DOCUMENT), null, options);
        System.out.println("swagger-parser on docs/openapi.json: OpenAPI " + result.getOpenAPI().getOpenapi()
                + ", " + result.getOpenAPI().getPaths().size() + " paths, "
                + result.getOpenAPI().getComponents().getSchemas().size() + " schemas, messages: " + result.getMessages());
        assertThat(result.getMessages()).as("the parser's findings").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.isOpenapi31()).isTrue();
    }

    @Test
    void theJarServesTheRepositorysDocument() throws IOException {
        try (InputStream packed = OpenApiService.class.getResourceAsStream(OpenApiService.RESOURCE)) {
            assertThat(packed).as(OpenApiService.RESOURCE + " in the build output").isNotNull();
            assertThat(new String(packed.readAllBytes())).isEqualTo(Files.readString(DOCUMENT));
        }
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() throws IOException {
        RouteRecorder recorder = new RouteRecorder();
        try (Store store = Store.open(dataDir)) {
            ApiServer.register(recorder, null, null, null, null, new EventStream(store), null, null, null, null);
        }
        JsonNode paths = new ObjectMapper().readTree(DOCUMENT.toFile()).path("paths");
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        assertThat(documented).as("routes in docs/openapi.json; the server registers " + recorder.routes)
                .isEqualTo(recorder.routes);
        Set<String> documentedPaths = new TreeSet<>();
        paths.fieldNames().forEachRemaining(documentedPaths::add);
        assertThat(recorder.anyMethod).as("paths that answer 405 to other methods").isEqualTo(documentedPaths);
    }
}
