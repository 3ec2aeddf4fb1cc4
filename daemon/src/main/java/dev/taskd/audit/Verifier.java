package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Checks the hash chain line by line and stops at the first break: of a file, or of lines handed
 * to {@link #next} one by one (the database log's entries, in seq order). Not thread-safe: one
 * verifier per check.
 */
final class Verifier {

    private String previousHash = Chain.NO_PREVIOUS;
    private long checked;

    static VerifyResult verify(FileChannel channel, long limit) throws IOException {
        LineReader reader = new LineReader(channel, limit);
        Verifier verifier = new Verifier();
        for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
            if (!line.terminated()) {
                return VerifyResult.broken(line.number(), "torn: no trailing newline (taskd removes it on its next start)");
            }
            VerifyResult broken = verifier.next(line.bytes());
            if (broken != null) {
                return broken;
            }
        }
        return verifier.intact();
    }

    /**
     * Checks the line after the last one checked: it is JSON, its seq is its line number, its
     * prev the SHA-256 of the line before.
     *
     * @return null while the chain holds, else the verdict naming this line
     */
    VerifyResult next(byte[] line) {
        long n = checked + 1;
        ObjectNode entry;
        try {
            entry = Chain.parse(line);
        } catch (JsonProcessingException e) {
            return VerifyResult.broken(n, "not valid JSON: " + Chain.describe(e));
        }
        JsonNode seq = entry.get("seq");
        if (seq == null || !seq.isIntegralNumber()) {
            return VerifyResult.broken(n, "no integer seq");
        }
        if (seq.asLong() != n) {
            return VerifyResult.broken(n, "seq is " + seq.asLong() + ", expected " + n
                    + " (a line is missing, repeated or edited)");
        }
        if (!previousHash.equals(entry.path("prev").asText())) {
            return VerifyResult.broken(n, n == 1
                    ? "prev is not 64 zeros, so lines before it are missing"
                    : "prev does not match the SHA-256 of line " + (n - 1));
        }
        previousHash = Chain.hash(line);
        checked = n;
        return null;
    }

    /** The verdict when every line handed in held. */
    VerifyResult intact() {
        return VerifyResult.intact(checked);
    }
}
