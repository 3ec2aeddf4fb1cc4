package dev.taskd.loop;

import dev.taskd.config.LoopType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a new loop works. By default its own directory, {@code DATA_DIR/work/ID} (under
 * {@code cluster.shared-dir} when set, see {@link LoopDirs}). A loop whose
 * {@code workdir} input names a directory works there — only when that directory lies under one
 * of {@code loops.workdir-roots} (symlinks resolved), so a submission cannot point a loop at any
 * directory of the machine. With {@code isolation = "git-worktree"} the loop gets its own git
 * worktree of that directory at {@code DATA_DIR/work/ID}, on a new branch {@code taskd/ID}, which
 * is left for the user to merge — never merged or deleted by taskd.
 */
final class Workdirs {

    /** The value of a {@code workdir} input that means "no directory of its own": the default. */
    private static final String OWN = ".";

    private Workdirs() {
    }

    /**
     * Prepares the loop's work dir and returns it.
     *
     * @throws LoopException BAD_REQUEST naming the directory and the allowed roots, or git's error
     */
    static Path prepare(String loopId, LoopType type, Map<String, String> inputs, List<Path> roots, LoopDirs dirs) {
        Path own = dirs.own(loopId);
        String given = inputs.getOrDefault("workdir", OWN);
        Path base = given.equals(OWN) ? null : allowed(given, roots);
        try {
            if (type.isolation() == LoopType.Isolation.GIT_WORKTREE) {
                Files.createDirectories(own.getParent());
                // A worktree made before (on this node, at the loop's submission) is the loop's already.
                if (!Files.exists(own.resolve(".git"))) {
                    worktree(base != null ? base : own, own, loopId);
                }
                return own;
            }
            if (base != null) {
                return base;
            }
            return Files.createDirectories(own);
        } catch (IOException e) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "cannot prepare the work dir of loop " + loopId
                    + ": " + e.getMessage());
        }
    }

    /**
     * Undoes {@link #prepare} for a loop that was not stored after all: removes its own work dir
     * when it is still empty. A worktree or a directory given as input is left alone. A failure
     * to remove it is kept on {@code failure} as suppressed.
     */
    static void forget(String loopId, Path workdir, LoopDirs dirs, Exception failure) {
        if (!workdir.equals(dirs.own(loopId))) {
            return;
        }
        try (Stream<Path> entries = Files.list(workdir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(workdir);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * True when {@link #prepare} makes the loop a directory of its own (its default, or a git
     * worktree), which is on one node unless the dirs are shared; false for a directory its
     * {@code workdir} input names, which is the user's to provide on every node.
     */
    static boolean ownsDir(LoopType type, Map<String, String> inputs) {
        return type.isolation() == LoopType.Isolation.GIT_WORKTREE || inputs.getOrDefault("workdir", OWN).equals(OWN);
    }

    private static Path allowed(String given, List<Path> roots) {
        Path requested = Path.of(given);
        if (!requested.isAbsolute()) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "input workdir '" + given
                    + "' must be an absolute path under loops.workdir-roots");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (IOException e) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "input workdir '" + given + "' does not exist");
        }
        for (Path root : roots) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return real;
                }
            } catch (IOException e) {
                // A configured root that does not exist admits nothing.
            }
        }
        throw new LoopException(LoopException.Kind.BAD_REQUEST, "input workdir '" + given
                + "' is not under loops.workdir-roots " + roots + "; add a root to taskd.toml to allow it");
    }

    /** {@code git -C repository worktree add -b taskd/ID target}; git's own message on failure. */
    private static void worktree(Path repository, Path target, String loopId) throws IOException {
        Process git = new ProcessBuilder("git", "-C", repository.toString(), "worktree", "add", "-b",
                "taskd/" + loopId, target.toString()).redirectErrorStream(true).start();
        try {
            if (!git.waitFor(60, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new IOException("git worktree add did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            git.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the git worktree", e);
        }
        if (git.exitValue() != 0) {
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException("isolation = \"git-worktree\" needs a git repository at " + repository + ": " + output);
        }
    }
}
