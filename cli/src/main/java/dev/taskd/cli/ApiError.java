package dev.taskd.cli;

/**
 * The daemon answered with an error ({@code {"error": CODE, "message": TEXT}}), or the exchange
 * failed after a connection was made. {@link Main} maps it to {@link ExitCode#FAILURE}.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status; 0 when no answer came (a timeout or a broken connection). */
    private final int status;
    /** The daemon's error code, such as {@code not_found}; empty when it sent none. */
    private final String code;

    ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
