package dev.taskd.reload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.Change;
import dev.taskd.config.Finding;
import dev.taskd.loop.LoopEffect;
import dev.taskd.schedule.ScheduleChange;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The JSON of reload events and plans: one shape for the API, the audit log and the event stream. */
public final class ReloadJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReloadJson() {
    }

    public static ObjectNode event(ReloadEvent event) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("at", event.at().toString())
                .put("generation_before", event.generationBefore())
                .put("generation_after", event.generationAfter())
                .put("trigger", event.trigger().label())
                .put("actor", event.actor())
                .put("result", event.result().label())
                .put("scope", event.scope().map(scope -> scope.label()).orElse(null))
                .put("duration_ms", event.duration().toMillis());
        changes(node.putArray("changes"), event.diff());
        switch (event.result()) {
            case ReloadResult.Applied applied -> strings(node.putArray("warnings"), applied.warnings());
            case ReloadResult.Failed failed -> node.put("error", failed.error())
                    .put("rollback_performed", failed.rollbackPerformed());
            case ReloadResult.Rejected rejected -> {
                node.put("reason", rejected.reason());
                changes(node.putArray("unsafe_changes"), rejected.unsafeChanges());
                findings(node.putArray("findings"), rejected.findings());
            }
            case ReloadResult.Unchanged unchanged -> { }
        }
        loops(node.putArray("loops"), event.loops());
        return node;
    }

    /** A pending plan: the plan, with what noticed the change and when. */
    public static ObjectNode pending(PendingPlan pending) {
        return plan(pending.plan()).put("pending", true).put("trigger", pending.trigger().label())
                .put("planned_at", pending.at().toString()).put("summary", pending.plan().summary());
    }

    public static ObjectNode plan(ReloadPlan plan) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("dry_run", true)
                .put("verdict", plan.verdict().label())
                .put("reason", plan.reason())
                .put("base_generation", plan.base())
                .put("generation", plan.generation())
                .put("candidate_hash", plan.candidateHash())
                .put("scope", plan.scope().map(scope -> scope.label()).orElse(null));
        ObjectNode sources = node.putObject("sources");
        new TreeMap<>(plan.sources()).forEach(sources::put);
        ArrayNode files = node.putArray("files");
        for (FileChange file : plan.files()) {
            files.addObject().put("path", file.path()).put("status", file.status()).put("diff", file.diff());
        }
        changes(node.putArray("changes"), plan.diff());
        changes(node.putArray("unsafe_changes"), plan.unsafeChanges());
        findings(node.putArray("findings"), plan.findings());
        strings(node.putArray("warnings"), plan.warnings());
        loops(node.putArray("loops"), plan.loops());
        ArrayNode schedules = node.putArray("schedules");
        for (ScheduleChange change : plan.schedules()) {
            schedules.addObject().put("name", change.name()).put("change", change.kind().label())
                    .put("next_fire_before", change.before() == null ? null : change.before().toString())
                    .put("next_fire_after", change.after() == null ? null : change.after().toString())
                    .put("summary", change.summary());
        }
        return node;
    }

    private static void changes(ArrayNode array, List<Change> changes) {
        for (Change change : changes) {
            Change shown = change.redacted();
            array.addObject().put("key", shown.key()).put("kind", shown.kind().name().toLowerCase(Locale.ROOT))
                    .put("old", shown.oldValue()).put("new", shown.newValue()).put("scope", shown.scope().label());
        }
    }

    private static void findings(ArrayNode array, List<Finding> findings) {
        for (Finding finding : findings) {
            array.addObject().put("file", finding.file()).put("line", finding.position().line())
                    .put("column", finding.position().column()).put("severity", finding.severity().label())
                    .put("message", finding.message()).put("fix", finding.fix()).put("text", finding.toString());
        }
    }

    private static void loops(ArrayNode array, List<LoopEffect> effects) {
        for (LoopEffect effect : effects) {
            array.addObject().put("loop_id", effect.loopId()).put("type", effect.type())
                    .put("effect", effect.effect().label()).put("detail", effect.detail());
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
