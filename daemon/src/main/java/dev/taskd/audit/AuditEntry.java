package dev.taskd.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One line of the audit log, as written and synced.
 *
 * @param seq  1 for the first line, then one more per line
 * @param ts   when it was appended
 * @param kind what it records: {@code reload}, {@code repair}, ...
 * @param hash SHA-256 of this line's bytes: the next line's {@code prev}
 * @param line the whole line, redacted; a copy of no consequence to the log
 */
public record AuditEntry(long seq, Instant ts, String kind, String hash, ObjectNode line) {
}
