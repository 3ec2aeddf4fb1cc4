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

    public void warn(String event, Map<String, Object> fields) {
        LoggingEventBuilder line = LOG.atWarn().setMessage(event).addKeyValue("event", event);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            line = line.addKeyValue(field.getKey(), field.getValue());
        }
        line.log();
    }
}
