package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/** What links the lines of the audit log: the JSON form of a line and the SHA-256 of its bytes. */
final class Chain {

    /** The {@code prev} of the first line, which has no predecessor. */
    static final String NO_PREVIOUS = "0".repeat(64);

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The fields every line begins with, which an event may not carry. */
    static final Set<String> RESERVED = Set.of("seq", "ts", "prev", "kind");

    private Chain() {
    }

    /**
     * The event's fields as a line carries them: a redacted copy, checked first.
     *
     * @param event its fields (null: none); never changed
     * @param head  the fields a line of this log has after {@code kind} (the database log's
     *              {@code node}), which the event may not carry either
     * @throws IllegalArgumentException when {@code kind} is blank or the event has a field of the
     *                                  line's own
     */
    static ObjectNode fields(String kind, ObjectNode event, ObjectNode head) {
        if (Objects.requireNonNull(kind, "kind").isBlank()) {
            throw new IllegalArgumentException("kind must not be blank");
        }
        ObjectNode fields = event == null ? JSON.createObjectNode() : Redactor.redact(event);
        fields.fieldNames().forEachRemaining(name -> {
            if (RESERVED.contains(name) || head.has(name)) {
                throw new IllegalArgumentException("event field '" + name + "' is reserved for the audit line itself");
            }
        });
        return fields;
    }

    /** The line an entry is written as: {@code seq}, {@code ts}, {@code prev}, {@code kind}, {@code head}, {@code fields}. */
    static ObjectNode line(long seq, Instant ts, String prev, String kind, ObjectNode head, ObjectNode fields) {
        ObjectNode line = JSON.createObjectNode()
                .put("seq", seq).put("ts", ts.toString()).put("prev", prev).put("kind", kind);
        line.setAll(head);
        line.setAll(fields);
        return line;
    }

    /** Lowercase hex SHA-256 of a line's bytes, without its newline. */
    static String hash(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Parses one line as a JSON object.
     *
     * @throws JsonProcessingException when the line is not JSON, or not an object
     */
    static ObjectNode parse(byte[] line) throws JsonProcessingException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array", e);
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new JsonParseException(null, "not a JSON object");
    }

    /** A parse failure in a few words, without Jackson's source excerpt. */
    static String describe(JsonProcessingException e) {
        return e.getOriginalMessage();
    }
}
