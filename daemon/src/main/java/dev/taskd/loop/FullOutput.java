package dev.taskd.loop;

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
 * <p>Losing the file is not worth failing the command for, so the first failure to open or write
 * it is reported (a full disk makes the data dir unwritable) and the rest of the output goes to
 * the command's tails only; the pumps go on reading, so the command never blocks on a full pipe.
 */
final class FullOutput implements AutoCloseable {

    static final int STDOUT = dev.taskd.process.Child.STDOUT;
    static final int STDERR = dev.taskd.process.Child.STDERR;
    private static final String[] NAMES = {"stdout", "stderr"};

    private final Path file;
    private final BiConsumer<String, IOException> onFailure;
    private final long headLimit;
    private final long tailLimit;
    private final long[] written = new long[2];
    private final TailRing[] tails = new TailRing[2];
    private FileChannel out;

    private FullOutput(Path file, FileChannel out, long maxPerStream, BiConsumer<String, IOException> onFailure) {
        this.file = file;
        this.out = out;
        this.onFailure = onFailure;
        this.headLimit = maxPerStream / 2;
        this.tailLimit = maxPerStream - headLimit;
    }

    /**
     * Opens (truncating) {@code file}, creating its directory; null when there is no file to keep.
     *
     * @param maxPerStream {@code limits.max-output}: bytes kept of each of stdout and stderr
     */
    static FullOutput open(Path file, long maxPerStream, BiConsumer<String, IOException> onFailure) {
        if (file == null) {
            return null;
        }
        try {
            // createDirectories throws and catches internally when the directory exists, which
            // it does for every command after a loop's first: look before creating.
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent());
            }
            return new FullOutput(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING), maxPerStream, onFailure);
        } catch (IOException e) {
            onFailure.accept("open " + file, e);
            return null;
        }
    }

    /** Appends what {@code stream} ({@link #STDOUT} or {@link #STDERR}) printed. */
    synchronized void write(int stream, byte[] bytes, int offset, int length) {
        if (out == null) {
            return;
        }
        try {
            long head = Math.max(0, Math.min(length, headLimit - written[stream]));
            if (head > 0) {
                writeFully(out, ByteBuffer.wrap(bytes, offset, (int) head));
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
            onFailure.accept("write " + file, e);
            close();
        }
    }

    /** Appends, for each stream that printed more than the limit, the marker line and its tail. */
    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
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
            out = null;
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
