package dev.taskd.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known name closest to a misspelt one, as compilers and git do. */
public final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * The candidate nearest to {@code wrong} by edit distance, when it is near enough to be a
     * likely typo: at most two edits, or a third of the name for long names.
     */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        int allowed = Math.max(2, wrong.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(wrong, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The suffix for a message: {@code "; did you mean 'x'?"}, or empty. */
    public static String hint(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(name -> "did you mean '" + name + "'?").orElse("");
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
