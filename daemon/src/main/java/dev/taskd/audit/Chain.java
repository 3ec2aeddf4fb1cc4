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
import java.util.HexFormat;

/** What links the lines of the audit log: the JSON form of a line and the SHA-256 of its bytes. */
final class Chain {

    /** The {@code prev} of the first line, which has no predecessor. */
    static final String NO_PREVIOUS = "0".repeat(64);

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Chain() {
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
