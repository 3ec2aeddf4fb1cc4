package dev.taskd.daemon;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * The log for a person at a terminal, one line per event:
 * {@code 14:02:11 INFO loop_started loop_id=01J… type=ralph iteration=1} (local time). A line
 * that is not an event (Helidon's, say) reads {@code 14:02:11 WARN LOGGER: message}, with its
 * stack trace below. Values with spaces, quotes or nothing in them are quoted, JSON-style, so a
 * line still splits on spaces. Thread-safe, as Logback requires of a layout.
 */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ThrowableProxyConverter stackTrace = new ThrowableProxyConverter();

    @Override
    public void start() {
        stackTrace.setContext(getContext());
        stackTrace.start();
        super.start();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(LocalTime.ofInstant(event.getInstant(), ZoneId.systemDefault())))
                .append(' ').append(event.getLevel());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        boolean isEvent = pairs != null && !pairs.isEmpty() && pairs.getFirst().key.equals("event");
        if (isEvent) {
            line.append(' ').append(pairs.getFirst().value);
        } else {
            line.append(' ').append(event.getLoggerName()).append(':');
        }
        if (event.getFormattedMessage() != null) {
            line.append(' ').append(event.getFormattedMessage());
        }
        if (pairs != null) {
            for (KeyValuePair pair : isEvent ? pairs.subList(1, pairs.size()) : pairs) {
                line.append(' ').append(pair.key).append('=').append(value(pair.value));
            }
        }
        line.append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(stackTrace.convert(event));
        }
        return line.toString();
    }

    /** The value as is when it is one plain word, else as a JSON string. */
    static String value(Object value) {
        String text = String.valueOf(value);
        if (!text.isEmpty() && text.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == 0x7f)) {
            return text;
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
