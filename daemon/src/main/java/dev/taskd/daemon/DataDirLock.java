package dev.taskd.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per data dir: an OS lock on {@code DATA_DIR/taskd.lock}, held for the daemon's
 * life. The operating system drops it when the process ends, however it ends, so a {@code kill -9}
 * leaves nothing to clean up, unlike a pid file. The file also says who holds it (pid and
 * address), for the message a second start prints; it is never deleted, since a daemon that
 * deleted it could let two later ones lock two different files of the same name.
 *
 * <p>The lock is a POSIX record lock, which a process loses when it closes <em>any</em> channel
 * to the file: nothing else in the daemon opens it.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "taskd.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dataDir} (creating it when missing) for this process.
     *
     * @throws IOException naming the holder when another process holds it, or when the lock file
     *                     cannot be created
     */
    static DataDirLock acquire(Path dataDir, String listen) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another daemon in this same JVM
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot lock " + file + ": " + e.getMessage()
                    + " (is the data dir on a file system without locks?)", e);
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new IOException("data dir " + dataDir + " is in use by taskd (" + holder
                    + "); stop that daemon first, or give this one another daemon.data-dir");
        }
        DataDirLock held = new DataDirLock(channel, lock);
        held.describe(listen);
        return held;
    }

    /** Records the address the daemon listens on, once it is bound, for the next start's message. */
    void describe(String listen) throws IOException {
        byte[] text = ("pid " + ProcessHandle.current().pid() + ", listening on " + listen + "\n")
                .getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text), 0);
        channel.force(false);
    }

    /** What the holder wrote: "pid N, listening on A". Read through the same channel, never a new one. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "pid unknown, starting" : text;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
