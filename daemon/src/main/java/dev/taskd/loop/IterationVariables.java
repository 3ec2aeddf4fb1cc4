package dev.taskd.loop;

import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables an iteration renders with: the loop's inputs and the built-ins of
 * {@code TemplateVariables} ({@code iteration}, {@code progress}, {@code previous-output}, ...).
 */
final class IterationVariables {

    /** Recent iterations summarised in {@code progress}. */
    static final int PROGRESS_ITERATIONS = 5;
    /** The tail of the last validation output that {@code previous-output} carries. */
    static final int PREVIOUS_OUTPUT_CHARS = 4096;

    private IterationVariables() {
    }

    static Map<String, Object> of(LoopRecord loop, int iteration, int maxIterations, List<IterationRecord> history,
                                  String workdir) {
        Map<String, Object> variables = new HashMap<>(loop.inputs());
        // The directory the loop really works in, even when its workdir input said "." for "its own".
        variables.put("workdir", workdir);
        variables.put("iteration", iteration);
        variables.put("max-iterations", maxIterations);
        variables.put("loop-id", loop.id());
        variables.put("progress", progress(history));
        variables.put("previous-output", previousOutput(history));
        return variables;
    }

    static List<Map<String, Object>> progress(List<IterationRecord> history) {
        List<Map<String, Object>> progress = new ArrayList<>();
        for (IterationRecord record : history.subList(Math.max(0, history.size() - PROGRESS_ITERATIONS), history.size())) {
            Map<String, Object> item = new HashMap<>();
            item.put("iteration", record.number());
            item.put("outcome", record.outcome().name().toLowerCase(Locale.ROOT));
            item.put("exit-code", record.validationExitCode() == null ? "" : record.validationExitCode());
            item.put("summary", record.error() == null ? "" : record.error());
            item.put("duration", Duration.between(record.startedAt(), record.endedAt()).toMillis() + "ms");
            progress.add(item);
        }
        return progress;
    }

    static String previousOutput(List<IterationRecord> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            String tail = history.get(i).outputTail();
            if (tail != null) {
                return tail.length() <= PREVIOUS_OUTPUT_CHARS ? tail : tail.substring(tail.length() - PREVIOUS_OUTPUT_CHARS);
            }
        }
        return "";
    }
}
