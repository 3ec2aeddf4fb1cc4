package dev.taskd.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system chores around the log's durability. */
final class Durable {

    private Durable() {
    }

    /**
     * Forces a directory, so that a file just created in it survives a crash. Best effort: some
     * systems (Windows) cannot open a directory, and there the file system orders this itself.
     */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not possible on this platform; the file's own sync is all there is.
        }
    }

    /** Closes {@code c} after {@code failure}, keeping a second failure as suppressed. */
    static void closeQuietly(Closeable c, Exception failure) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
