package dev.taskd.script;

import dev.taskd.config.DidYouMean;
import dev.taskd.config.Finding;
import dev.taskd.config.ScriptValidator;
import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Checks a loop-type script the way the engine will run it: evaluated as an ES module in the
 * sandbox, it must compile and export a function {@code iterate}. Top-level code runs, bounded by
 * a statement limit so that a script that loops at load cannot hang validation.
 *
 * <p>The GraalJS implementation of {@link ScriptValidator}: the config package declares what a
 * load needs checked, this class is the one check the daemon and the CLI run.
 */
public final class GraalScriptCheck implements ScriptValidator {

    /** Enough for any sensible module set-up; a loop at the top level reaches it in milliseconds. */
    static final long TOP_LEVEL_STATEMENT_LIMIT = 1_000_000;

    static final String MODULE_MIME_TYPE = "application/javascript+module";

    /** GraalJS starts its messages with {@code name:line:column }; the finding says that already. */
    private static final Pattern LOCATION_PREFIX = Pattern.compile("^(\\w*Error: )?\\S+:\\d+:\\d+ ");

    /** Far more scripts than one configuration holds, so a reload never evicts what it still uses. */
    static final int REMEMBERED = 10_000;

    /**
     * Results by file and content hash: a reload checks only the scripts that changed. The least
     * recently used go beyond {@link #REMEMBERED}, so a daemon whose scripts are edited for
     * months does not keep every version it ever saw. Guarded by itself; a check runs outside
     * the lock (two callers may check the same new script once each, which is harmless).
     */
    private final Map<String, Optional<Finding>> checked;

    /** Set for the daemon's checker until its first load names the data directory. */
    private final AtomicBoolean readsLastStart;

    /** The verdicts of the last start, while this start uses them (see {@link PassedScripts}); null otherwise. */
    private volatile PassedScripts lastStart;

    /** A checker that evaluates every script it has not seen in this process. */
    public GraalScriptCheck() {
        this(REMEMBERED, false);
    }

    /**
     * The daemon's checker: its first load also trusts the scripts the last start in the same
     * data directory saw pass, so a restart with unchanged scripts evaluates none before it is
     * ready. Call {@link #rememberPassesForNextStart} once the start's configuration is accepted.
     */
    public static GraalScriptCheck rememberingAcrossStarts() {
        return new GraalScriptCheck(REMEMBERED, true);
    }

    /** @param remembered how many results to keep; tests use a small number */
    GraalScriptCheck(int remembered) {
        this(remembered, false);
    }

    private GraalScriptCheck(int remembered, boolean acrossStarts) {
        this.readsLastStart = new AtomicBoolean(acrossStarts);
        this.checked = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<Finding>> eldest) {
                return size() > remembered;
            }
        };
    }

    @Override
    public Optional<Finding> check(SourceFile script) {
        String key = script.display() + "@" + script.hash();
        synchronized (checked) {
            Optional<Finding> known = checked.get(key);
            if (known != null) {
                return known;
            }
        }
        Optional<Finding> result = checkOrRecall(script);
        synchronized (checked) {
            checked.put(key, result);
        }
        return result;
    }

    private Optional<Finding> checkOrRecall(SourceFile script) {
        PassedScripts verdicts = lastStart;
        if (verdicts != null && verdicts.knownToPass(script)) {
            return Optional.empty();
        }
        Optional<Finding> result = evaluate(script);
        if (verdicts != null && result.isEmpty()) {
            verdicts.passed(script);
        }
        return result;
    }

    @Override
    public void dataDirectory(Path dataDir) {
        if (readsLastStart.compareAndSet(true, false)) {
            lastStart = PassedScripts.readFrom(dataDir);
            if (lastStart.remembersNone()) {
                // A first start: scripts will be evaluated, so have the engine made meanwhile.
                ScriptEngines.warmUp();
            }
        }
    }

    /**
     * Writes the passes of this start's load into the data directory for the next start, then
     * stops recording: later loads (reloads) rely on this process's memory. Call it once the data
     * directory exists. Does nothing for a checker made with {@code new GraalScriptCheck()}.
     */
    public void rememberPassesForNextStart() throws IOException {
        PassedScripts verdicts = lastStart;
        lastStart = null;
        if (verdicts != null) {
            verdicts.write();
        }
    }

    /** How many results are remembered; for tests. */
    int remembered() {
        synchronized (checked) {
            return checked.size();
        }
    }

    private Optional<Finding> evaluate(SourceFile script) {
        Source source = Source.newBuilder("js", script.text(), script.fileName())
                .mimeType(MODULE_MIME_TYPE)
                .buildLiteral();
        ResourceLimits limits = ResourceLimits.newBuilder().statementLimit(TOP_LEVEL_STATEMENT_LIMIT, null).build();
        try (Context context = ScriptEngines.sandboxedContext().resourceLimits(limits).build()) {
            Value exports = context.eval(source);
            Value iterate = exports.getMember("iterate");
            if (iterate != null && iterate.canExecute()) {
                return Optional.empty();
            }
            String found = iterate == null ? "does not export 'iterate'" : "exports 'iterate' but it is not a function";
            String fix = DidYouMean.closest("iterate", exports.getMemberKeys())
                    .map(name -> "did you mean to name '" + name + "' 'iterate'?")
                    .orElse("add: export function iterate(ctx) { ... }");
            return Optional.of(Finding.error(script.display(), Position.START, "script " + found, fix));
        } catch (PolyglotException e) {
            return Optional.of(findingFor(script, e));
        }
    }

    private static Finding findingFor(SourceFile script, PolyglotException e) {
        Position position = locationOf(script, e);
        if (e.isResourceExhausted()) {
            return Finding.error(script.display(), position,
                    "top-level code ran more than " + TOP_LEVEL_STATEMENT_LIMIT + " statements",
                    "do the work inside iterate(ctx), not when the module loads");
        }
        String message = firstLine(e.getMessage());
        String what = e.isSyntaxError() ? "script does not compile: " : "script fails when loaded: ";
        return Finding.error(script.display(), position, what + LOCATION_PREFIX.matcher(message).replaceFirst("$1"), "");
    }

    /**
     * Where the error is: the syntax error's place, else the innermost script frame. JavaScript
     * also ends lines at a lone {@code \r} and U+2028, so the place is taken from the char index.
     */
    private static Position locationOf(SourceFile script, PolyglotException e) {
        SourceSection section = e.getSourceLocation();
        if (section == null) {
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame() && frame.getSourceLocation() != null) {
                    section = frame.getSourceLocation();
                    break;
                }
            }
        }
        if (section == null || !section.hasLines()) {
            return Position.START;
        }
        return section.hasCharIndex()
                ? Position.of(script.text(), section.getCharIndex())
                : new Position(section.getStartLine(), Math.max(1, section.getStartColumn()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
