package dev.taskd.loop;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it: output tails stay bounded however much a
 * command prints. Thread-safe.
 */
final class TailBuffer {

    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
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
