package dev.taskd.loop;

/**
 * A request the engine refuses; {@link Kind} says why, so the API can answer with the right
 * status and the CLI with the right exit code.
 */
public final class LoopException extends RuntimeException {

    public enum Kind { BAD_REQUEST, NOT_FOUND, AMBIGUOUS, CONFLICT, QUEUE_FULL, DRAINING }

    private final Kind kind;

    public LoopException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
