package dev.taskd.script;

import dev.taskd.script.ScriptResult.Completed;
import dev.taskd.script.ScriptResult.Continued;
import dev.taskd.script.ScriptResult.Errored;
import dev.taskd.script.ScriptResult.Failed;
import dev.taskd.script.ScriptResult.Stopped;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** How a finished call of {@code iterate} maps to a {@link ScriptResult}, and where a script error is. */
final class ScriptOutcomes {

    private ScriptOutcomes() {
    }

    /** The {@link ScriptEnd} that {@code thrown} carries, or null. */
    static ScriptEnd endingOf(PolyglotException thrown) {
        return thrown != null && thrown.isHostException() && thrown.asHostException() instanceof ScriptEnd end
                ? end
                : null;
    }

    /**
     * @param ending the ending the script asked for, or null
     * @param thrown what the call threw, or null when it returned
     */
    static ScriptResult result(ScriptEnd ending, PolyglotException thrown, String file, String state) {
        if (ending != null) {
            return switch (ending.kind()) {
                case COMPLETED -> new Completed(ending.text(), state);
                case FAILED -> new Failed(ending.text(), state);
                case STOPPED -> new Stopped(state);
            };
        }
        if (thrown == null) {
            return new Continued(state);
        }
        String message = thrown.isHostException()
                ? "host error: " + thrown.asHostException()
                : firstLine(thrown.getMessage());
        return new Errored(message, where(thrown, file), state);
    }

    /** {@code file:line} of the error's place in the script: its own location, else the innermost script frame. */
    static String where(PolyglotException e, String file) {
        SourceSection section = e.getSourceLocation();
        if (!inScript(section, file)) {
            section = null;
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame() && inScript(frame.getSourceLocation(), file)) {
                    section = frame.getSourceLocation();
                    break;
                }
            }
        }
        return section == null ? file : file + ":" + section.getStartLine();
    }

    private static boolean inScript(SourceSection section, String file) {
        return section != null && section.hasLines() && file.equals(section.getSource().getName());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
