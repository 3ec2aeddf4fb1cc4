package dev.taskd.audit;

import java.nio.file.Path;

/**
 * Reading, writing or repairing the audit log failed. The message starts with
 * {@code file:line:} when a line is concerned (line 0: the file as a whole); the I/O or JSON
 * exception is kept as the cause.
 */
public final class AuditException extends RuntimeException {

    private final Path file;
    private final long line;

    AuditException(Path file, long line, String detail) {
        this(file, line, detail, null);
    }

    AuditException(Path file, long line, String detail, Throwable cause) {
        super(line > 0 ? file + ":" + line + ": " + detail : file + ": " + detail, cause);
        this.file = file;
        this.line = line;
    }

    /** The audit log file. */
    public Path file() {
        return file;
    }

    /** The 1-based line concerned, or 0 when the failure is about the file as a whole. */
    public long line() {
        return line;
    }
}
