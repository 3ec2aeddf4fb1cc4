package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files as the real daemon serves them, over plain HTTP: content types, ETags
 * and 304, the security headers, 404 for what is not there, no way out of the folder, and no
 * token needed for the files while every data call still needs one.
 */
class DashboardFilesEndToEndTest {

    private static final String TOKEN_FILE = "[auth]\ntoken-file = \"secrets/tokens\"\n";

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thePageAndItsFilesHaveTheirContentTypesAnEtagAndSecurityHeaders() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            HttpResponse<String> page = daemon.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                    .startsWith("default-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
                    .doesNotContain("<script>").doesNotContain("onclick");

            HttpResponse<String> script = daemon.get("/ui/app.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(script.body()).as("copied without Maven's filtering").contains("${");
            assertThat(daemon.get("/ui/style.css").headers().firstValue("Content-Type"))
                    .hasValue("text/css; charset=utf-8");
            assertThat(daemon.get("/ui/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");

            String etag = script.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.port + "/ui/app.js"))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void unknownFilesAre404AndNoPathLeadsOutOfTheDashboardFolder() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start()) {
            assertThat(daemon.get("/ui/no-such-file.js").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/ui/logback.xml").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/ui/..%2flogback.xml").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/ui/%2e%2e%2fdev%2ftaskd%2fversion.properties").statusCode()).isEqualTo(404);
            // The HTTP client sends ".." as it is; the server resolves it before routing.
            assertThat(daemon.get("/ui/../logback.xml").body()).doesNotContain("<configuration");
            assertThat(daemon.get("/ui/").statusCode()).isEqualTo(404);
            assertThat(daemon.post("/", "").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void withATokenTheFilesNeedNoneButDataCallsAndPathsDisguisedAsFilesDo() throws Exception {
        String token = "files-" + UUID.randomUUID();
        try (DaemonProcess daemon = new DaemonProcess(home, TOKEN_FILE).file("secrets/tokens", token + "\n").start()) {
            assertThat(daemon.get("/").statusCode()).isEqualTo(200);
            assertThat(daemon.get("/ui/api.js").statusCode()).isEqualTo(200);
            assertThat(daemon.get("/v1/status").statusCode()).isEqualTo(401);
            assertThat(daemon.send("GET", "/v1/status", null, token).statusCode()).isEqualTo(200);
            for (String disguised : List.of("/ui/../v1/status", "/ui/x/../../v1/status", "/ui/%2e%2e/v1/status",
                    "/ui/..%2fv1%2fstatus")) {
                HttpResponse<String> answer = daemon.get(disguised);
                assertThat(answer.statusCode()).as(disguised).isIn(401, 404);
                assertThat(answer.body()).as(disguised).doesNotContain("\"generation\"");
            }
        }
    }
}
