package dev.taskd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.audit.AuditQuery;
import dev.taskd.audit.AuditTrail;
import dev.taskd.audit.VerifyResult;
import dev.taskd.config.Durations;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/audit}, {@code /v1/audit/verify}, {@code /v1/audit/export}: the audit log
 * wherever it is kept, the data dir's file or, in a cluster, the database's chain that every
 * node appends to (so any node answers for all of them).
 */
final class AuditService implements HttpService {

    private final AuditTrail audit;

    AuditService(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/audit", this::entries)
                .get("/audit/verify", this::verify)
                .get("/audit/export", this::export)
                .any("/audit", Allow.only("GET"))
                .any("/audit/verify", Allow.only("GET"))
                .any("/audit/export", Allow.only("GET"));
    }

    private void entries(ServerRequest request, ServerResponse response) {
        AuditQuery.Builder query = AuditQuery.builder();
        request.query().first("since").map(AuditService::instant).ifPresent(query::since);
        request.query().first("until").map(AuditService::instant).ifPresent(query::until);
        request.query().first("result").ifPresent(query::result);
        request.query().first("scope").ifPresent(query::scope);
        request.query().first("key").ifPresent(query::key);
        request.query().first("type").ifPresent(query::type);
        query.limit(request.query().first("limit").map(AuditService::limit).orElse(100));
        request.query().first("after").map(AuditService::wholeNumber).ifPresent(query::afterSeq);
        List<JsonNode> entries = audit.read(query.build());
        ObjectNode body = ApiJson.object();
        ArrayNode array = body.putArray("entries");
        entries.forEach(array::add);
        Responses.json(response, 200, body);
    }

    /** The chain checked now: {@code ok} or the first broken line (entry, in seq order) and why. */
    private void verify(ServerRequest request, ServerResponse response) {
        VerifyResult result = audit.verify();
        ObjectNode body = ApiJson.object().put("log", audit.where()).put("ok", result.ok())
                .put("entries", result.lines());
        if (result.ok()) {
            body.putNull("broken_line").putNull("reason");
        } else {
            body.put("broken_line", result.brokenLine()).put("reason", result.reason());
        }
        Responses.json(response, 200, body);
    }

    /** Every entry as JSON lines, byte for byte as chained: what {@code taskd audit verify --file} checks. */
    private void export(ServerRequest request, ServerResponse response) throws IOException {
        response.header(HeaderNames.CONTENT_TYPE, "application/jsonl");
        try (OutputStream out = response.outputStream()) {
            audit.export(out);
        }
    }

    /** An ISO-8601 instant, or a duration back from now ({@code 1h}, {@code 30m}). */
    private static Instant instant(String text) {
        Optional<Duration> ago = Durations.parse(text);
        if (ago.isPresent()) {
            return Instant.now().minus(ago.get());
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + text + "' is neither an ISO-8601 time nor a duration like \"1h\"");
        }
    }

    private static long wholeNumber(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + text + "' is not a whole number");
        }
    }

    private static int limit(String text) {
        long limit = wholeNumber(text);
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be from 1 to 1000; found " + text);
        }
        return (int) limit;
    }
}
