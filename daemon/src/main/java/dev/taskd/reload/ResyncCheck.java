package dev.taskd.reload;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The periodic comparison of the sources on disk with the configuration applied. A difference
 * is reported once: a broken file on disk must not cause a reload on every tick. It is reported
 * again when either side changes, so disk going A → B → A between ticks is not lost.
 * Not thread-safe: only the watcher thread uses it.
 */
final class ResyncCheck {

    private record Pair(String disk, String applied) {
    }

    private final Supplier<String> diskHash;
    private final Supplier<String> appliedHash;
    private Pair reported;

    ResyncCheck(Supplier<String> diskHash, Supplier<String> appliedHash) {
        this.diskHash = Objects.requireNonNull(diskHash, "diskHash");
        this.appliedHash = Objects.requireNonNull(appliedHash, "appliedHash");
    }

    /** True when disk and applied hashes differ and this difference was not reported yet; throws what the suppliers throw. */
    boolean due() {
        Pair now = new Pair(diskHash.get(), appliedHash.get());
        if (Objects.equals(now.disk(), now.applied())) {
            reported = null;
            return false;
        }
        if (now.equals(reported)) {
            return false;
        }
        reported = now;
        return true;
    }
}
