package dev.taskd.process;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the last {@code capacity} bytes written to it: output tails stay bounded however much a
 * command prints. Its memory grows with what is written, up to {@code capacity}: most commands
 * print little or nothing, and a tail is made for each stream of every command. Thread-safe.
 */
final class TailBuffer {

    private static final byte[] NONE = new byte[0];

    private final int capacity;
    private byte[] ring = NONE; // linear until it reaches capacity, a ring from then on
    private long written;

    TailBuffer(int capacity) {
        this.capacity = capacity;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        if (ring.length < capacity && written + length > ring.length) {
            long wanted = Math.max(written + length, Math.min(2L * ring.length, capacity));
            ring = Arrays.copyOf(ring, (int) Math.min(Math.max(wanted, 1024), capacity));
        }
        if (length > ring.length) {
            // Only the end of it can survive; copying in blocks keeps up with a command printing GB/s.
            written += length - ring.length;
            offset += length - ring.length;
            length = ring.length;
        }
        while (length > 0) {
            int at = (int) (written % ring.length);
            int chunk = Math.min(length, ring.length - at);
            System.arraycopy(bytes, offset, ring, at, chunk);
            written += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** The tail as text; a character cut at the start of the tail becomes a replacement char. */
    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] tail = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            tail[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(tail, StandardCharsets.UTF_8);
    }
}
