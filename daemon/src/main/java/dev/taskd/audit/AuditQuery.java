package dev.taskd.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which audit entries to read, as {@code GET /v1/audit} and {@code taskd audit} take them. A null
 * filter matches everything; the filters that are set must all match. Made with {@link #builder()},
 * which names each filter it sets, or {@link #all()}.
 *
 * @param since    entries with {@code ts} at or after this
 * @param until    entries with {@code ts} before this
 * @param result   top-level {@code result} equals this ({@code applied}, {@code failed}, ...)
 * @param scope    top-level {@code scope} equals this
 * @param key      some {@code changes[].key} equals this dotted key or lies under it:
 *                 {@code limits} matches {@code limits.max-loops}, not {@code limits-x}
 * @param type     some {@code changes[].key} is {@code loop-types.<type>} or lies under it
 * @param limit    at most this many entries, at least 1
 * @param afterSeq only entries with a greater seq: 0 for the first page, then the last seq of
 *                 the previous page
 */
public record AuditQuery(Instant since, Instant until, String result, String scope, String key, String type,
                         int limit, long afterSeq) {

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be 0 or more, got " + afterSeq);
        }
    }

    /** Every entry, in one page. */
    public static AuditQuery all() {
        return builder().build();
    }

    /** A query with no filter set, every entry in one page, until the builder sets them. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same filters, for the page after the entry with {@code seq}. */
    public AuditQuery after(long seq) {
        return new AuditQuery(since, until, result, scope, key, type, limit, seq);
    }

    boolean matches(JsonNode entry) {
        return entry.path("seq").asLong() > afterSeq
                && inTime(entry.path("ts").asText())
                && (result == null || result.equals(entry.path("result").asText(null)))
                && (scope == null || scope.equals(entry.path("scope").asText(null)))
                && (key == null || changesUnder(entry, key))
                && (type == null || changesUnder(entry, "loop-types." + type));
    }

    private boolean inTime(String ts) {
        if (since == null && until == null) {
            return true;
        }
        try {
            Instant at = Instant.parse(ts);
            return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Sets the filters a caller names and leaves the rest matching everything. Not thread-safe. */
    public static final class Builder {

        private Instant since;
        private Instant until;
        private String result;
        private String scope;
        private String key;
        private String type;
        private int limit = Integer.MAX_VALUE;
        private long afterSeq;

        private Builder() {
        }

        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder result(String result) {
            this.result = result;
            return this;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        public Builder afterSeq(long afterSeq) {
            this.afterSeq = afterSeq;
            return this;
        }

        /** @throws IllegalArgumentException when the limit is below 1 or afterSeq below 0 */
        public AuditQuery build() {
            return new AuditQuery(since, until, result, scope, key, type, limit, afterSeq);
        }
    }

    private static boolean changesUnder(JsonNode entry, String prefix) {
        for (JsonNode change : entry.path("changes")) {
            String changed = change.path("key").asText("");
            if (changed.equals(prefix) || changed.startsWith(prefix.endsWith(".") ? prefix : prefix + ".")) {
                return true;
            }
        }
        return false;
    }
}
