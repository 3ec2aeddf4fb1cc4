package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.Finding;
import dev.taskd.config.ReloadScope;
import dev.taskd.loop.LoopEffect;
import java.util.List;
import java.util.Optional;

/**
 * What a reload of the files as they are now would do — the answer of a dry run. Its verdict is
 * the result the real reload gives when nothing changes in between.
 *
 * @param verdict    {@code apply}, {@code reject} or {@code unchanged}
 * @param generation the generation that would be in force afterwards
 */
public record ReloadPlan(String verdict, String reason, long generation, List<Change> diff,
                         Optional<ReloadScope> scope, List<Change> unsafeChanges, List<Finding> findings,
                         List<String> warnings, List<LoopEffect> loops) {

    public ReloadPlan {
        diff = List.copyOf(diff);
        unsafeChanges = List.copyOf(unsafeChanges);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
        loops = List.copyOf(loops);
    }

    public boolean wouldApply() {
        return verdict.equals("apply");
    }
}
