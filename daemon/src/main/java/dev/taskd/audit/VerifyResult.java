package dev.taskd.audit;

/**
 * The verdict of {@link AuditLog#verify()}: the chain is intact, or the first line that breaks it
 * and why.
 *
 * @param lines      lines checked; when broken, the lines before the broken one
 * @param brokenLine 1-based number of the first broken line, or 0 when intact
 * @param reason     why that line breaks the chain, or null when intact
 */
public record VerifyResult(long lines, long brokenLine, String reason) {

    static VerifyResult intact(long lines) {
        return new VerifyResult(lines, 0, null);
    }

    static VerifyResult broken(long line, String reason) {
        return new VerifyResult(line - 1, line, reason);
    }

    /** Whether every line parses, seq counts up by one from 1 and every prev matches. */
    public boolean ok() {
        return brokenLine == 0;
    }

    /** One line for people: {@code line 7: prev does not match the SHA-256 of line 6}. */
    public String message() {
        return ok() ? "ok: " + lines + " entries, chain intact" : "line " + brokenLine + ": " + reason;
    }
}
