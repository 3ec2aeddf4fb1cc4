package dev.taskd.reload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What a caller insists on before a reload or rollback applies, like an HTTP {@code If-Match}:
 * the generation in force ({@code base}), and for a saved plan the candidate it previewed
 * ({@code candidateHash} over {@code sources}). Anything else fails with
 * {@link PreconditionFailedException} naming what moved, and nothing is applied.
 *
 * @param base          the generation that must be in force; empty for any
 * @param candidateHash the hash the sources must have now; null for any
 * @param sources       the plan's sources by display path and hash, to name the files that moved
 */
public record PlanExpectation(OptionalLong base, String candidateHash, Map<String, String> sources) {

    /** No condition: the reload applies whatever it reads. */
    public static final PlanExpectation NONE = new PlanExpectation(OptionalLong.empty(), null, Map.of());

    public PlanExpectation {
        sources = Map.copyOf(sources);
    }

    /** Only the generation in force: {@code If-Match: "GEN"}. */
    public static PlanExpectation generation(long base) {
        return new PlanExpectation(OptionalLong.of(base), null, Map.of());
    }

    /** @throws PreconditionFailedException when another generation is in force */
    void checkBase(long inForce) {
        if (base.isPresent() && base.getAsLong() != inForce) {
            throw new PreconditionFailedException("the running generation is " + inForce + ", the plan was made against "
                    + base.getAsLong());
        }
    }

    /**
     * @param hash  the hash of the sources as read now, "" when they do not load
     * @param found those sources by display path and hash (empty when they do not load)
     * @throws PreconditionFailedException naming the files that changed, appeared or went away
     */
    void checkCandidate(String hash, Map<String, String> found) {
        if (candidateHash == null || candidateHash.equals(hash)) {
            return;
        }
        if (found.isEmpty()) {
            throw new PreconditionFailedException("the files no longer load as they did when the plan was made;"
                    + " make a new plan");
        }
        List<String> moved = new ArrayList<>();
        for (String path : new TreeSet<>(sources.keySet())) {
            String now = found.get(path);
            if (now == null) {
                moved.add(path + " was removed since the plan was made");
            } else if (!now.equals(sources.get(path))) {
                moved.add(path + " changed since the plan was made");
            }
        }
        for (String path : new TreeSet<>(found.keySet())) {
            if (!sources.containsKey(path)) {
                moved.add(path + " was added since the plan was made");
            }
        }
        if (moved.isEmpty()) {
            moved.add("the sources changed since the plan was made");
        }
        throw new PreconditionFailedException(String.join("; ", moved) + "; make a new plan");
    }
}
