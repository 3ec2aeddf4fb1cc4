package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Checks the hash chain line by line and stops at the first break. */
final class Verifier {

    private Verifier() {
    }

    static VerifyResult verify(FileChannel channel, long limit) throws IOException {
        LineReader reader = new LineReader(channel, limit);
        String previousHash = Chain.NO_PREVIOUS;
        long expectedSeq = 1;
        long count = 0;
        for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
            long n = line.number();
            if (!line.terminated()) {
                return VerifyResult.broken(n, "torn: no trailing newline (taskd removes it on its next start)");
            }
            ObjectNode entry;
            try {
                entry = Chain.parse(line.bytes());
            } catch (JsonProcessingException e) {
                return VerifyResult.broken(n, "not valid JSON: " + Chain.describe(e));
            }
            JsonNode seq = entry.get("seq");
            if (seq == null || !seq.isIntegralNumber()) {
                return VerifyResult.broken(n, "no integer seq");
            }
            if (seq.asLong() != expectedSeq) {
                return VerifyResult.broken(n, "seq is " + seq.asLong() + ", expected " + expectedSeq
                        + " (a line is missing, repeated or edited)");
            }
            if (!previousHash.equals(entry.path("prev").asText())) {
                return VerifyResult.broken(n, n == 1
                        ? "prev is not 64 zeros, so lines before it are missing"
                        : "prev does not match the SHA-256 of line " + (n - 1));
            }
            previousHash = Chain.hash(line.bytes());
            expectedSeq++;
            count = n;
        }
        return VerifyResult.intact(count);
    }
}
