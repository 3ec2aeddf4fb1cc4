package dev.taskd.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

/**
 * A command's whole output, kept in {@code DATA_DIR/loops/ID/N-action.log}: written by both of
 * its pumps, under this object's lock, at most {@code limits.max-output} per stream. Of a stream
 * that prints more, the file keeps the first half of the limit where it was printed, and at the
 * end a marker line saying how much was dropped followed by the last half. Meanwhile the last
 * half waits in a ring file beside the log ({@link TailRing}), so neither memory nor the disk
 * ever holds more than the limit per stream; the pumps never wait for anything but the disk.
 *
 * <p>The file is created at the command's first byte of output: creating a file costs about as
 * much as starting {@code /bin/sh}, and most validation commands print nothing. A command that
 * prints nothing leaves no file (one left by an earlier run of the same iteration is removed).
 *
 * <p>Losing the file is not worth failing the command for, so the first failure to open or write
 * it is reported (a full disk makes the data dir unwritable) and the rest of the output goes to
 * the command's tails only; the output goes on being read, so the command never blocks on a full
 * pipe.
 */
final class FullOutput implements AutoCloseable {

    static final int STDOUT = Child.STDOUT;
    static final int STDERR = Child.STDERR;
    private static final String[] NAMES = {"stdout", "stderr"};

    private final Path file;
    private final BiConsumer<String, IOException> onFailure;
    private final long headLimit;
    private final long tailLimit;
    private final long[] written = new long[2];
    private final TailRing[] tails = new TailRing[2];
    private FileChannel out; // opened at the first write
    private boolean done; // closed, or failed: nothing more is written

    private FullOutput(Path file, long maxPerStream, BiConsumer<String, IOException> onFailure) {
        this.file = file;
        this.onFailure = onFailure;
        this.headLimit = maxPerStream / 2;
        this.tailLimit = maxPerStream - headLimit;
    }

    /**
     * The output of a command to keep in {@code file}, which is created (or truncated), with its
     * directory, when the command first prints; null when there is no file to keep.
     *
     * @param maxPerStream {@code limits.max-output}: bytes kept of each of stdout and stderr
     */
    static FullOutput open(Path file, long maxPerStream, BiConsumer<String, IOException> onFailure) {
        return file == null ? null : new FullOutput(file, maxPerStream, onFailure);
    }

    private FileChannel channel() throws IOException {
        if (out == null) {
            // createDirectories throws and catches internally when the directory exists, which
            // it does for every command after a loop's first: look before creating.
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent());
            }
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return out;
    }

    /** Appends what {@code stream} ({@link #STDOUT} or {@link #STDERR}) printed. */
    synchronized void write(int stream, byte[] bytes, int offset, int length) {
        if (done) {
            return;
        }
        try {
            long head = Math.max(0, Math.min(length, headLimit - written[stream]));
            if (head > 0) {
                writeFully(channel(), ByteBuffer.wrap(bytes, offset, (int) head));
            }
            if (head < length) {
                if (tails[stream] == null) {
                    tails[stream] = TailRing.open(file.resolveSibling(file.getFileName() + "." + NAMES[stream]
                            + ".tail"), tailLimit);
                }
                tails[stream].write(bytes, offset + (int) head, length - (int) head);
            }
            written[stream] += length;
        } catch (IOException e) {
            onFailure.accept((out == null ? "open " : "write ") + file, e);
            close();
        }
    }

    /**
     * Appends, for each stream that printed more than the limit, the marker line and its tail;
     * when nothing was printed, removes a file an earlier run of this iteration left.
     */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (out == null) {
                Files.deleteIfExists(file);
                return;
            }
            for (int stream = 0; stream < 2; stream++) {
                if (tails[stream] != null) {
                    long kept = tails[stream].size();
                    String marker = "\n[taskd: " + NAMES[stream] + ": " + (written[stream] - headLimit - kept)
                            + " bytes dropped here (limits.max-output); the last " + kept + " bytes follow]\n";
                    writeFully(out, ByteBuffer.wrap(marker.getBytes(StandardCharsets.UTF_8)));
                    tails[stream].copyTo(out);
                }
            }
            out.close();
        } catch (IOException e) {
            onFailure.accept("close " + file, e);
        } finally {
            for (TailRing tail : tails) {
                if (tail != null) {
                    tail.delete();
                }
            }
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
