package dev.taskd.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The last {@code capacity} bytes of a stream, kept in a file used as a ring: how
 * {@link FullOutput} keeps a long tail without holding it in memory. Not thread-safe; its
 * {@link FullOutput} guards it.
 */
final class TailRing {

    private final Path file;
    private final FileChannel channel;
    private final long capacity;
    private long written;

    private TailRing(Path file, FileChannel channel, long capacity) {
        this.file = file;
        this.channel = channel;
        this.capacity = capacity;
    }

    static TailRing open(Path file, long capacity) throws IOException {
        return new TailRing(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), capacity);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > capacity) {
            // Only the end of it can survive.
            written += length - capacity;
            offset += (int) (length - capacity);
            length = (int) capacity;
        }
        while (length > 0) {
            long at = written % capacity;
            int chunk = (int) Math.min(length, capacity - at);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, chunk);
            while (buffer.hasRemaining()) {
                channel.write(buffer, at + buffer.position() - offset);
            }
            written += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** How many bytes it holds: what was written, up to its capacity. */
    long size() {
        return Math.min(written, capacity);
    }

    /** Appends the tail, oldest byte first, to {@code out}. */
    void copyTo(FileChannel out) throws IOException {
        long start = written <= capacity ? 0 : written % capacity;
        transfer(start, size() - start, out);
        transfer(0, start == 0 ? 0 : start, out);
    }

    private void transfer(long from, long count, FileChannel out) throws IOException {
        long done = 0;
        while (done < count) {
            done += channel.transferTo(from + done, count - done, out);
        }
    }

    /** Closes and removes the ring file. */
    void delete() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stray ring file is removed with its loop's output directory.
        }
    }
}
