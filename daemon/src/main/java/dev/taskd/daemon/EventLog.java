package dev.taskd.daemon;

import dev.taskd.event.TaskdEvent;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs every event as one JSON line: the stable event name as the message and as {@code event},
 * then its facts as key-value pairs ({@code loop_id}, {@code iteration}, ...). Thread-safe.
 */
public final class EventLog {

    private static final Logger LOG = LoggerFactory.getLogger("taskd");

    public void emit(TaskdEvent event) {
        LoggingEventBuilder line = (event.warning() ? LOG.atWarn() : LOG.atInfo()).setMessage(event.name())
                .addKeyValue("event", event.name());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            line = line.addKeyValue(field.getKey(), field.getValue());
        }
        line.log();
    }
}
