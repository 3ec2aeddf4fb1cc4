package dev.taskd.script;

/**
 * Thrown from a host method to end {@code iterate(ctx)} at once ({@code ctx.complete},
 * {@code ctx.fail}, or an interrupted {@code ctx.exec}); the runner catches it as a host
 * exception. Carries no stack trace: it is control flow, not an error.
 */
final class ScriptEnd extends RuntimeException {

    enum Kind { COMPLETED, FAILED, STOPPED }

    private final Kind kind;
    private final String text;

    ScriptEnd(Kind kind, String text) {
        super(kind + ": " + text, null, false, false);
        this.kind = kind;
        this.text = text;
    }

    Kind kind() {
        return kind;
    }

    String text() {
        return text;
    }
}
