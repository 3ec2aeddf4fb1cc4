package dev.taskd.reload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The {@link SourceFingerprint} of the configuration files on disk, reused while recent, for
 * callers that only report it: {@code GET /v1/status} shows drift on every request, and reading
 * and hashing every file each time made status three times slower than health. A reading is reused for {@link #FRESH};
 * a reload records what it read, so right after one the answer needs no reading at all.
 * Thread-safe; two callers may both read when a reading expires, which is harmless.
 */
final class RecentFingerprint {

    static final Duration FRESH = Duration.ofMillis(500);

    private final Path configFile;
    private final LongSupplier nanoTime;
    private volatile Reading last;

    RecentFingerprint(Path configFile) {
        this(configFile, System::nanoTime);
    }

    /** @param nanoTime the clock; tests pass their own */
    RecentFingerprint(Path configFile, LongSupplier nanoTime) {
        this.configFile = configFile;
        this.nanoTime = nanoTime;
    }

    /** The fingerprint read at most {@link #FRESH} ago, or read now. */
    String recent() {
        Reading reading = last;
        long now = nanoTime.getAsLong();
        if (reading != null && now - reading.atNanos() < FRESH.toNanos()) {
            return reading.fingerprint();
        }
        String fingerprint = SourceFingerprint.of(configFile);
        last = new Reading(fingerprint, now);
        return fingerprint;
    }

    /** What a reload read from the disk just now. */
    void observed(String fingerprint) {
        last = new Reading(fingerprint, nanoTime.getAsLong());
    }

    private record Reading(String fingerprint, long atNanos) {
    }
}
