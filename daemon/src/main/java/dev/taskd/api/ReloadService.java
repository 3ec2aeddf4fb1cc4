package dev.taskd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.EffectiveConfig;
import dev.taskd.loop.Generation;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.ReloadJson;
import dev.taskd.reload.ReloadTrigger;
import dev.taskd.reload.PlanExpectation;
import dev.taskd.reload.PreconditionFailedException;
import dev.taskd.audit.Redactor;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code POST /v1/reload}, {@code POST /v1/rollback}, {@code GET /v1/config}, {@code GET /v1/reload/pending}. */
final class ReloadService implements HttpService {

    private final HotReloadManager reloads;
    private final DaemonStatus daemon;

    ReloadService(HotReloadManager reloads, DaemonStatus daemon) {
        this.reloads = reloads;
        this.daemon = daemon;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/reload", this::reload)
                .get("/reload/pending", this::pending)
                .any("/reload/pending", Allow.only("GET"))
                .post("/rollback", this::rollback)
                .get("/config", this::config)
                .any("/reload", Allow.only("POST"))
                .any("/rollback", Allow.only("POST"))
                .any("/config", Allow.only("GET"));
    }

    /**
     * A dry run (of the files, or with {@code {"sources": {PATH: TEXT}}} of candidates laid over the
     * sources in force), or a reload: of the files, honouring {@code If-Match: "GEN"}; with a saved
     * plan as its body, only what the plan previewed (412 otherwise); with candidates as its body,
     * of those laid over the sources in force (the files on disk stay as they are).
     */
    private void reload(ServerRequest request, ServerResponse response) {
        boolean dryRun = request.query().first("dry_run").map(Boolean::parseBoolean).orElse(false);
        JsonNode body = PlanBodies.parse(RequestBodies.text(request));
        try {
            if (dryRun) {
                Map<String, byte[]> candidates = PlanBodies.candidates(body);
                Responses.json(response, 200, ReloadJson.plan(candidates.isEmpty() ? reloads.plan()
                        : reloads.plan(candidates)));
                return;
            }
            if (PlanBodies.isCandidates(body)) {
                Responses.json(response, 200, ReloadJson.event(reloads.reload(PlanBodies.candidates(body),
                        trigger(request), actor(request))));
                return;
            }
            PlanExpectation expected = PlanBodies.expectation(body, ifMatch(request));
            Responses.json(response, 200, ReloadJson.event(reloads.reload(trigger(request), actor(request), expected)));
        } catch (PreconditionFailedException e) {
            throw new ApiException(412, "precondition_failed", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** {@code GET /v1/reload/pending}: in manual apply mode, the change noticed and not applied. */
    private void pending(ServerRequest request, ServerResponse response) {
        Responses.json(response, 200, reloads.pending().map(ReloadJson::pending).orElseGet(() -> ApiJson.object()
                .put("pending", false).put("generation", daemon.generation().number())));
    }

    private void rollback(ServerRequest request, ServerResponse response) {
        Optional<Long> to = request.query().first("to").asOptional().map(ReloadService::generation);
        PlanExpectation expected = ifMatch(request).isPresent()
                ? PlanExpectation.generation(ifMatch(request).getAsLong()) : PlanExpectation.NONE;
        try {
            Responses.json(response, 200, ReloadJson.event(reloads.rollback(to, trigger(request), actor(request),
                    expected)));
        } catch (PreconditionFailedException e) {
            throw new ApiException(412, "precondition_failed", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "not_found", e.getMessage());
        }
    }

    /** {@code If-Match: "GEN"} (the ETag of {@code GET /v1/config}); {@code *} or none: any generation. */
    private static OptionalLong ifMatch(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.IF_MATCH);
        if (header.isEmpty() || header.get().strip().equals("*")) {
            return OptionalLong.empty();
        }
        String value = header.get().strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        try {
            return OptionalLong.of(Long.parseLong(value.replace("\"", "")));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be a generation as GET /v1/config's ETag gives it, like"
                    + " \"7\"; found " + header.get());
        }
    }

    private void config(ServerRequest request, ServerResponse response) {
        Generation generation = daemon.generation();
        ObjectNode body = ApiJson.object().put("generation", generation.number());
        ObjectNode config = body.putObject("config");
        EffectiveConfig.of(generation.snapshot()).forEach((key, value) ->
                config.put(key, Redactor.secretLike(key.substring(key.lastIndexOf('.') + 1)) ? Redactor.MASK : value));
        response.header(HeaderNames.ETAG, "\"" + generation.number() + "\"");
        Responses.json(response, 200, body);
    }

    /** The CLI says it is the CLI; everything else over HTTP is the API. */
    private static ReloadTrigger trigger(ServerRequest request) {
        return request.headers().first(HeaderNames.USER_AGENT).orElse("").startsWith("taskd-cli")
                ? ReloadTrigger.CLI : ReloadTrigger.API;
    }

    private static String actor(ServerRequest request) {
        return request.remotePeer().host();
    }

    private static long generation(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + text + "' is not a whole number");
        }
    }
}
