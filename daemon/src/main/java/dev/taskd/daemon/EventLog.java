package dev.taskd.daemon;

import dev.taskd.loop.LoopEvents;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs every event as one JSON line: the stable event name as the message, the facts as
 * key-value pairs ({@code loop_id}, {@code iteration}, ...). Thread-safe.
 */
public final class EventLog implements LoopEvents {

    private static final Logger LOG = LoggerFactory.getLogger("taskd");

    @Override
    public void emit(String event, String loopId, Map<String, Object> fields) {
        LoggingEventBuilder line = LOG.atInfo().setMessage(event).addKeyValue("event", event);
        if (loopId != null) {
            line = line.addKeyValue("loop_id", loopId);
        }
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            line = line.addKeyValue(field.getKey(), field.getValue());
        }
        line.log();
    }

    /** A daemon event, not about one loop. */
    public void daemon(String event, Map<String, Object> fields) {
        emit(event, null, fields);
    }

    /** A reload event: {@code reload_applied}, {@code reload_rejected}, ... with generation and trigger. */
    public void reload(dev.taskd.reload.ReloadEvent event) {
        String name = "reload_" + event.result().label();
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("generation", event.generationAfter());
        fields.put("generation_before", event.generationBefore());
        fields.put("trigger", event.trigger().label());
        fields.put("changes", event.diff().size());
        fields.put("duration_ms", event.duration().toMillis());
        switch (event.result()) {
            case dev.taskd.reload.ReloadResult.Rejected rejected -> fields.put("reason", rejected.reason());
            case dev.taskd.reload.ReloadResult.Failed failed -> fields.put("error", failed.error());
            case dev.taskd.reload.ReloadResult.Applied applied -> fields.put("keys",
                    String.join(",", applied.changes().stream().map(dev.taskd.config.Change::key).toList()));
            case dev.taskd.reload.ReloadResult.Unchanged unchanged -> { }
        }
        if (event.result() instanceof dev.taskd.reload.ReloadResult.Applied
                || event.result() instanceof dev.taskd.reload.ReloadResult.Unchanged) {
            daemon(name, fields);
        } else {
            warn(name, fields);
        }
    }

    public void warn(String event, Map<String, Object> fields) {
        LoggingEventBuilder line = LOG.atWarn().setMessage(event).addKeyValue("event", event);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            line = line.addKeyValue(field.getKey(), field.getValue());
        }
        line.log();
    }
}
