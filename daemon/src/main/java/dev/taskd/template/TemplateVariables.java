package dev.taskd.template;

import java.util.List;
import java.util.Set;

/**
 * The variables every template may use besides its loop type's inputs. The loop engine renders
 * with exactly these names; validation accepts exactly these.
 */
public final class TemplateVariables {

    /** Built-in variables at the top of every template. */
    public static final List<String> BUILT_INS =
            List.of("iteration", "max-iterations", "progress", "previous-output", "loop-id", "workdir");

    /** Built-ins that an input of the same name may replace on purpose (a loop given its work dir). */
    public static final Set<String> OVERRIDABLE = Set.of("workdir");

    /** The list a template iterates over inside {@code {{#progress}}...{{/progress}}}. */
    public static final String PROGRESS = "progress";

    /** Fields of each item of {@code progress}: one summary per recent iteration. */
    public static final List<String> PROGRESS_FIELDS =
            List.of("iteration", "outcome", "exit-code", "summary", "duration");

    /** Names Mustache itself gives meaning inside sections. */
    public static final Set<String> MUSTACHE_SPECIALS = Set.of(".", "this", "-first", "-last", "-index");

    private TemplateVariables() {
    }
}
