package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Where the log ends when it is opened: what the next line links to, and the torn last line,
 * if any, that must be cut away first.
 *
 * @param end      file length once the torn line is cut away
 * @param lines    complete lines before {@code end}
 * @param lastSeq  seq of the last complete line, 0 when there is none
 * @param lastHash SHA-256 of the last complete line, or {@link Chain#NO_PREVIOUS}
 * @param torn     the torn last line, or null
 */
record LogTail(long end, long lines, long lastSeq, String lastHash, Torn torn) {

    /** A last line left half-written by a crash: no newline, or not JSON. */
    record Torn(long line, long removedBytes, String reason) {
    }

    /**
     * Reads the whole file once, keeping only its last two lines.
     *
     * @throws AuditException when the last complete line has no seq, or is not JSON although a
     *                        torn line follows it: damage no crash of an append leaves behind
     */
    static LogTail scan(Path file, FileChannel channel) throws IOException {
        LineReader reader = new LineReader(channel, channel.size());
        LineReader.Line previous = null;
        LineReader.Line last = null;
        for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
            previous = last;
            last = line;
        }
        if (last == null) {
            return new LogTail(0, 0, 0, Chain.NO_PREVIOUS, null);
        }
        Torn torn = tornOrNull(last);
        LineReader.Line head = torn == null ? last : previous;
        long end = torn == null ? last.offset() + last.length() : last.offset();
        if (head == null) {
            return new LogTail(end, 0, 0, Chain.NO_PREVIOUS, torn);
        }
        return new LogTail(end, head.number(), seqOf(file, head), Chain.hash(head.bytes()), torn);
    }

    private static Torn tornOrNull(LineReader.Line last) {
        if (!last.terminated()) {
            return new Torn(last.number(), last.length(), "no trailing newline");
        }
        try {
            Chain.parse(last.bytes());
            return null;
        } catch (JsonProcessingException e) {
            return new Torn(last.number(), last.length(), "not valid JSON: " + Chain.describe(e));
        }
    }

    private static long seqOf(Path file, LineReader.Line head) {
        String problem;
        try {
            JsonNode seq = Chain.parse(head.bytes()).get("seq");
            if (seq != null && seq.isIntegralNumber()) {
                return seq.asLong();
            }
            problem = "has no integer seq";
        } catch (JsonProcessingException e) {
            problem = "is not valid JSON (" + Chain.describe(e) + ") and is not the last line";
        }
        throw new AuditException(file, head.number(), problem + ", so the next entry cannot be chained to it;"
                + " this is not a torn write: check the file with 'taskd audit verify', then move it aside"
                + " to start a new log");
    }
}
