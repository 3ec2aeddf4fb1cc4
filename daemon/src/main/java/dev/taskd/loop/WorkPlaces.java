package dev.taskd.loop;

import dev.taskd.config.LoopType;
import dev.taskd.store.LoopNote;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a loop's runner works: its iterations' output files, and — for a loop claimed in a
 * cluster — its work dir on this node.
 *
 * <p>Without {@code cluster.shared-dir}, a loop's own work dir (see {@link Workdirs#ownsDir}) is
 * on the node that made it. A node that claims the loop uses it only when it made it itself;
 * otherwise it makes a fresh one and records a {@value #NOTE} note on the loop naming it and the
 * node the previous one was on: the loop goes on with its state, but not its files. With a shared
 * dir, every node sees the same work dir, and nothing moves.
 */
final class WorkPlaces {

    /** The action of the note that records which node gave a loop its work dir. */
    static final String NOTE = "workdir";

    private final Store store;
    private final LoopDirs dirs;
    private final Supplier<String> node;

    /** @param node this node's name in its cluster; called only for claimed loops */
    WorkPlaces(Store store, LoopDirs dirs, Supplier<String> node) {
        this.store = store;
        this.dirs = dirs;
        this.node = node;
    }

    Path outputs(String loopId) {
        return dirs.outputs(loopId);
    }

    /**
     * The loop as this node runs it after claiming it: with a work dir on this node.
     *
     * @throws LoopException when a fresh work dir cannot be made here
     */
    LoopRecord claimed(LoopRecord loop, LoopType type, List<Path> roots) {
        if (dirs.shared() || type == null || !Workdirs.ownsDir(type, loop.inputs())) {
            return loop;
        }
        String me = node.get();
        String previous = lastNode(loop.id());
        if (me.equals(previous) && Files.isDirectory(Path.of(loop.workdir()))) {
            return loop;
        }
        Path fresh = Workdirs.prepare(loop.id(), type, loop.inputs(), roots, dirs);
        String detail = loop.iterations() == 0 ? "work dir " + fresh
                : "fresh work dir " + fresh + " from iteration " + (loop.iterations() + 1) + ": the previous one ("
                        + loop.workdir() + ") was on " + (previous == null ? "another node" : "node " + previous)
                        + " and cluster.shared-dir is not set; the loop goes on with its state, not its files";
        store.notes().moveWorkdir(fresh.toString(), new LoopNote(loop.id(), Instant.now(), "node " + me, NOTE,
                loop.iterations(), detail));
        return new LoopRecord(loop.id(), loop.type(), loop.typeVersion(), loop.inputs(), loop.stateJson(),
                loop.state(), loop.reason(), loop.iterations(), loop.priority(), loop.after(), fresh.toString(),
                loop.createdAt(), loop.updatedAt(), loop.generation(), loop.iterationLimit());
    }

    /** The node that last gave the loop its work dir; null when none did (the loop was never claimed). */
    private String lastNode(String loopId) {
        String last = null;
        for (LoopNote note : store.notes().of(loopId)) {
            if (note.action().equals(NOTE) && note.actor().startsWith("node ")) {
                last = note.actor().substring("node ".length());
            }
        }
        return last;
    }
}
