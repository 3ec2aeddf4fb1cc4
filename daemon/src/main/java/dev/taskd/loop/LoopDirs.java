package dev.taskd.loop;

import java.io.IOException;
import java.nio.file.Files;
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

    /**
     * The dirs a daemon starts with. A shared dir must already be a writable directory: were its
     * mount missing, the loops' files would silently go to this node's disk beneath the mount
     * point, where no other node sees them.
     *
     * @throws IOException naming the key and the fix when the shared dir is not there
     */
    public static LoopDirs open(Path dataDir, Path sharedDir) throws IOException {
        if (sharedDir != null && !(Files.isDirectory(sharedDir) && Files.isWritable(sharedDir))) {
            throw new IOException("cluster.shared-dir " + sharedDir + " is not a writable directory: mount the"
                    + " directory every node shares there (taskd does not create it), or remove the key to keep"
                    + " loops' work dirs and outputs in the data dir");
        }
        return new LoopDirs(dataDir, sharedDir);
    }

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
