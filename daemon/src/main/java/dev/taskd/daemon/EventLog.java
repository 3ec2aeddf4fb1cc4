package dev.taskd.daemon;

import dev.taskd.event.TaskdEvent;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs every event as one line: its stable name as {@code event}, then its facts as key-value
 * pairs in the order the event gives them ({@code loop_id}, {@code iteration}, ...). No message:
 * the JSON encoder writes the pairs as top-level fields, the text layout as {@code name=value}.
 * Thread-safe.
 */
public final class EventLog {

    private static final Logger LOG = LoggerFactory.getLogger("taskd");

    public void emit(TaskdEvent event) {
        LoggingEventBuilder line = switch (event.level()) {
            case DEBUG -> LOG.atDebug();
            case INFO -> LOG.atInfo();
            case WARN -> LOG.atWarn();
        };
        line = line.addKeyValue("event", event.name());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            line = line.addKeyValue(field.getKey(), field.getValue());
        }
        line.log();
    }
}
