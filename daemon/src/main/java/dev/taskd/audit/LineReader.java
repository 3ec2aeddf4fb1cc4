package dev.taskd.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file line by line with positional reads, so that it can share a channel with a writer
 * appending at the end; it never reads past {@code limit}. Not thread-safe: one reader per scan.
 */
final class LineReader {

    /**
     * One line.
     *
     * @param number     1-based
     * @param offset     where the line starts in the file
     * @param bytes      the line without its newline
     * @param terminated whether a newline ends it (only a torn last line has none)
     */
    record Line(long number, long offset, byte[] bytes, boolean terminated) {

        /** Bytes the line occupies in the file, newline included. */
        long length() {
            return bytes.length + (terminated ? 1 : 0);
        }
    }

    private final FileChannel channel;
    private final long limit;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private long position;
    private long number;

    LineReader(FileChannel channel, long limit) {
        this.channel = channel;
        this.limit = limit;
    }

    /** The next line, or null at the limit. */
    Line next() throws IOException {
        long offset = position;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                return line.size() == 0 ? null : new Line(++number, offset, line.toByteArray(), false);
            }
            byte b = buffer.get();
            position++;
            if (b == '\n') {
                return new Line(++number, offset, line.toByteArray(), true);
            }
            line.write(b);
        }
    }

    private boolean fill() throws IOException {
        long readAt = position;
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), limit - readAt));
        int n = buffer.hasRemaining() ? channel.read(buffer, readAt) : -1;
        buffer.flip();
        return n > 0;
    }
}
