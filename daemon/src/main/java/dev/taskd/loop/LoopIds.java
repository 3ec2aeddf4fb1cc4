package dev.taskd.loop;

import java.security.SecureRandom;

/**
 * Loop ids: ULIDs (26 characters of Crockford base 32: 48 bits of milliseconds, then 80 random
 * bits), so ids sort by creation time as strings do. Ids made in the same millisecond increase
 * by one, keeping that order within this process. Thread-safe.
 */
public final class LoopIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static long lastMillis;
    private static long randomHigh;
    private static long randomLow;

    private LoopIds() {
    }

    public static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = RANDOM.nextLong() & 0xFFFFL;          // 16 bits
            randomLow = RANDOM.nextLong() & 0xFFFFFFFFFFFFFFL; // 64 bits: leave room to count
            randomLow &= 0x7FFFFFFFFFFFFFFFL;
        } else {
            randomLow++;
        }
        char[] id = new char[26];
        long time = lastMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits as 16 characters: 16 high bits then 64 low bits.
        long low = randomLow;
        for (int i = 25; i >= 13; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        long high = (randomHigh << 1) | (low & 1);
        for (int i = 12; i >= 10; i--) {
            id[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        return new String(id);
    }
}
