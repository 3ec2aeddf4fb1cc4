package dev.taskd.script;

/**
 * How a call of {@code iterate(ctx)} ended. Every outcome carries the state the script left in
 * {@code ctx.state}, as JSON text, to persist with the iteration.
 */
public sealed interface ScriptResult {

    String stateJson();

    /** Returned normally: the validation command (if any) decides. */
    record Continued(String stateJson) implements ScriptResult {
    }

    /** Called {@code ctx.complete(result)}: the loop succeeds now. */
    record Completed(String result, String stateJson) implements ScriptResult {
    }

    /** Called {@code ctx.fail(reason)}: the loop fails now. */
    record Failed(String reason, String stateJson) implements ScriptResult {
    }

    /** Threw, or could not be run: {@code where} is {@code file:line} in the script when known. */
    record Errored(String message, String where, String stateJson) implements ScriptResult {
    }

    /** Stopped from outside (timeout, cancel, pause, drain): the cancellation says why. */
    record Stopped(String stateJson) implements ScriptResult {
    }
}
