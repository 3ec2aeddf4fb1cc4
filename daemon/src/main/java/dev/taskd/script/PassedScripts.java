package dev.taskd.script;

import dev.taskd.source.ContentHash;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;

/**
 * The scripts that passed the start's check, kept in {@code DATA_DIR/script-verdicts} so that a
 * restart with unchanged scripts evaluates none of them before it is ready: evaluating one needs
 * the GraalJS engine and a first context, most of a start's time. A restart that finds a script
 * here trusts the verdict of the start that wrote it; the script still runs in a fresh sandbox at
 * every iteration, as always.
 *
 * <p>A verdict is the SHA-256 of the script's file name and content, the GraalJS version and
 * {@link #CHECK_VERSION}: a new GraalJS, or a check that changed, checks everything again. Only
 * passes are kept, so a failing script is evaluated every time and its finding is current. The
 * file holds the passes of the last start only, so it never grows; it is a cache: unreadable or
 * garbled lines are ignored, and deleting it only makes the next start check every script.
 * Thread-safe.
 */
final class PassedScripts {

    static final String FILE_NAME = "script-verdicts";

    /**
     * Bump when {@link GraalScriptCheck}'s rules or the sandbox of {@link ScriptEngines} change what
     * passes; every remembered verdict is then ignored.
     */
    static final String CHECK_VERSION = "1";

    private static final Pattern VERDICT = Pattern.compile("[0-9a-f]{64}");

    private static final String HEADER = "# taskd: scripts that passed the start check (SHA-256 of check version, "
            + "GraalJS version, file name, content). A cache: deleting it makes the next start check every script.";

    private final Path file;
    private final String engineVersion;
    private final Set<String> remembered;
    private final Set<String> passedNow = ConcurrentHashMap.newKeySet();

    private PassedScripts(Path file, String engineVersion, Set<String> remembered) {
        this.file = file;
        this.engineVersion = engineVersion;
        this.remembered = remembered;
    }

    /**
     * The verdicts of the last start in {@code dataDir}, read without creating anything: a refused
     * configuration must leave no trace. None when the file is missing or unreadable.
     */
    static PassedScripts readFrom(Path dataDir) {
        return readFrom(dataDir, engineVersion());
    }

    static PassedScripts readFrom(Path dataDir, String engineVersion) {
        Path file = dataDir.resolve(FILE_NAME);
        Set<String> remembered = new HashSet<>();
        if (engineVersion.isEmpty()) {
            return new PassedScripts(file, engineVersion, remembered);
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (VERDICT.matcher(line).matches()) {
                    remembered.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            // The first start in this data directory.
        } catch (IOException | RuntimeException e) {
            // Unreadable or not UTF-8: a cache, so start from nothing and check every script.
            remembered.clear();
        }
        return new PassedScripts(file, engineVersion, remembered);
    }

    /** Whether there is no verdict to trust: a first start, a deleted file, another GraalJS. */
    boolean remembersNone() {
        return remembered.isEmpty();
    }

    /** Whether the last start saw this very script pass, with this GraalJS and this check. */
    boolean knownToPass(SourceFile script) {
        if (engineVersion.isEmpty()) {
            return false;
        }
        String verdict = verdictOf(script);
        if (remembered.contains(verdict)) {
            passedNow.add(verdict);
            return true;
        }
        return false;
    }

    /** Records a pass, to be written by {@link #write}. */
    void passed(SourceFile script) {
        passedNow.add(verdictOf(script));
    }

    /**
     * Replaces the file with the passes seen since it was read, when they differ from what it
     * held. Written to a temporary file and moved into place, so a crash leaves the old file or
     * the new one; no fsync, since losing it costs only a slower start.
     */
    void write() throws IOException {
        if (engineVersion.isEmpty() || passedNow.equals(remembered)) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        passedNow.stream().sorted().forEach(lines::add);
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String verdictOf(SourceFile script) {
        return ContentHash.of(CHECK_VERSION + '\n' + engineVersion + '\n' + script.fileName() + '\n' + script.hash());
    }

    /**
     * The GraalJS version, read from the polyglot API's jar manifest without creating an engine
     * (the js language jar is pinned to the same version by the build). Empty when unknown, and
     * then nothing is remembered: an unknown version cannot tell an upgrade apart.
     */
    static String engineVersion() {
        String version = Context.class.getPackage().getImplementationVersion();
        return version == null ? "" : version;
    }
}
