package dev.taskd.loop;

import java.security.SecureRandom;

/**
 * Loop ids: ULIDs (26 characters of Crockford base 32: 48 bits of milliseconds, then 80 random
 * bits), so ids sort by creation time as strings do. Ids made in the same millisecond add one to
 * the 80-bit random number of the previous id, keeping that order within this process (the ULID
 * spec's monotonic variant). Thread-safe.
 */
public final class LoopIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static long lastMillis;
    /** The 80 random bits: the high 16 in {@code randomHigh}, the low 64 in {@code randomLow}. */
    private static long randomHigh;
    private static long randomLow;

    private LoopIds() {
    }

    public static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = RANDOM.nextInt() & 0xFFFF;
            randomLow = RANDOM.nextLong();
        } else if (++randomLow == 0 && (++randomHigh & 0x10000) != 0) {
            // 2^80 ids in one millisecond cannot happen; were it to, the next millisecond's ids still sort after.
            randomHigh &= 0xFFFF;
        }
        return encode(lastMillis, randomHigh, randomLow);
    }

    /** 10 characters of time, then the 80 random bits as 16 characters, most significant first. */
    static String encode(long millis, long high, long low) {
        char[] id = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 25; i >= 10; i--) {
            int shift = (25 - i) * 5; // the bit of the 80 where this character's 5 bits start
            long bits;
            if (shift + 5 <= 64) {
                bits = low >>> shift;
            } else if (shift >= 64) {
                bits = high >>> (shift - 64);
            } else {
                bits = (low >>> shift) | (high << (64 - shift)); // straddles: 4 low bits, 1 high bit
            }
            id[i] = ALPHABET[(int) (bits & 31)];
        }
        return new String(id);
    }
}
