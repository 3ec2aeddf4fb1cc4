package dev.taskd.loop;

import java.nio.file.Path;

/**
 * Where loops keep their files: each loop's own work dir ({@code work/ID}) and its iterations'
 * output files ({@code loops/ID}), under {@code cluster.shared-dir} when one is set — a directory
 * every node of a cluster mounts at the same path, so that a loop taken over by another node goes
 * on in the same work dir — else under this node's data dir.
 *
 * @param dataDir   this daemon's {@code daemon.data-dir}
 * @param sharedDir {@code cluster.shared-dir}, or null
 */
public record LoopDirs(Path dataDir, Path sharedDir) {

    /** A daemon's own dirs, with no shared dir. */
    public static LoopDirs local(Path dataDir) {
        return new LoopDirs(dataDir, null);
    }

    /** True when every node sees the loops' own work dirs at the same path. */
    public boolean shared() {
        return sharedDir != null;
    }

    /** The root of the loops' output files, {@code ROOT/loops}. */
    public Path outputs() {
        return root().resolve("loops");
    }

    /** The directory of the loop's output files. */
    public Path outputs(String loopId) {
        return outputs().resolve(loopId);
    }

    /** The loop's own work dir, {@code ROOT/work/ID}. */
    public Path own(String loopId) {
        return root().resolve("work").resolve(loopId);
    }

    private Path root() {
        return sharedDir != null ? sharedDir : dataDir;
    }
}
