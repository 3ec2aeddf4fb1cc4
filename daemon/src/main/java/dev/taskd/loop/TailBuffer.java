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
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[offset + i];
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
