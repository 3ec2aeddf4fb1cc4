package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.Finding;
import dev.taskd.config.ReloadScope;
import dev.taskd.loop.LoopEffect;
import dev.taskd.schedule.ScheduleChange;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a reload of a set of sources would do — the answer of a dry run, and the pending plan of
 * manual apply mode. Its verdict is the result the real reload gives when nothing changes in
 * between, which {@link PlanExpectation} lets a caller insist on.
 *
 * @param verdict       what the reload would do
 * @param base          the generation in force when the plan was made
 * @param generation    the generation that would be in force afterwards
 * @param candidateHash the hash over the candidate's sources, as {@code config_hash} would show it;
 *                      "" when they do not load
 * @param sources       the candidate's sources by display path, with their content hashes; empty
 *                      when they do not load
 * @param files         the files that differ from the generation in force, with their diffs
 * @param schedules     the schedules it adds, changes or removes, with their next fire times
 */
public record ReloadPlan(Verdict verdict, String reason, long base, long generation, String candidateHash,
                         Map<String, String> sources, List<FileChange> files, List<Change> diff,
                         Optional<ReloadScope> scope, List<Change> unsafeChanges, List<Finding> findings,
                         List<String> warnings, List<LoopEffect> loops, List<ScheduleChange> schedules) {

    public ReloadPlan {
        sources = Map.copyOf(sources);
        files = List.copyOf(files);
        diff = List.copyOf(diff);
        unsafeChanges = List.copyOf(unsafeChanges);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
        loops = List.copyOf(loops);
        schedules = List.copyOf(schedules);
    }

    /** What a reload of the plan's sources would do; {@link #label} is how the API and the log show it. */
    public enum Verdict {
        /** It would apply them. */
        APPLY,
        /** It would refuse them: they do not load, change a restart-only key, or the daemon is draining. */
        REJECT,
        /** They match the generation in force. */
        UNCHANGED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A plan that changes nothing, for the reason given: nothing differs, or nothing may be reloaded now. */
    static ReloadPlan nothing(Verdict verdict, String reason, long base) {
        return new ReloadPlan(verdict, reason, base, base, "", Map.of(), List.of(), List.of(), Optional.empty(),
                List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public boolean wouldApply() {
        return verdict == Verdict.APPLY;
    }

    /** One line for {@code taskd status}: "3 keys in 2 files, would apply". */
    public String summary() {
        String keys = diff.size() == 1 ? "1 key" : diff.size() + " keys";
        String inFiles = files.size() == 1 ? "1 file" : files.size() + " files";
        String outcome = switch (verdict) {
            case APPLY -> "would apply";
            case REJECT -> "would be rejected: " + reason;
            case UNCHANGED -> "nothing to apply";
        };
        return keys + " in " + inFiles + ", " + outcome;
    }
}
