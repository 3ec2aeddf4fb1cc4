package dev.taskd.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.reload.ReloadJson;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of an event as {@code /v1/events} carries it in its {@code data}, and as webhooks are
 * POSTed it: one shape for both. The daemon's own events have none; they are only logged.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    /** The stream's event kind: {@code loop}, {@code reload} or {@code plan}; empty for the daemon's own. */
    public static Optional<String> kind(TaskdEvent event) {
        return switch (event) {
            case TaskdEvent.Loop loop -> Optional.of("loop");
            case TaskdEvent.Reload reload -> Optional.of("reload");
            case TaskdEvent.Plan plan -> Optional.of("plan");
            case DaemonEvent daemon -> Optional.empty();
        };
    }

    /** The event's data; {@code at} is when a loop event happened (it has no time of its own). */
    public static Optional<ObjectNode> data(TaskdEvent event, Instant at) {
        return switch (event) {
            case TaskdEvent.Loop loop -> Optional.of(loop(loop, at));
            case TaskdEvent.Reload reload -> Optional.of(ReloadJson.event(reload.event()));
            case TaskdEvent.Plan plan -> Optional.of(ReloadJson.pending(plan.pending())
                    .put("at", plan.pending().at().toString()));
            case DaemonEvent daemon -> Optional.empty();
        };
    }

    /** {@code {"event": name, "loop_id": id, ...fields, "at": time}}: numbers as numbers, the rest as text. */
    private static ObjectNode loop(TaskdEvent.Loop loop, Instant at) {
        ObjectNode data = MAPPER.createObjectNode().put("event", loop.name());
        for (Map.Entry<String, Object> field : loop.fields().entrySet()) {
            switch (field.getValue()) {
                case Integer number -> data.put(field.getKey(), number);
                case Long number -> data.put(field.getKey(), number);
                case Double number -> data.put(field.getKey(), number);
                case Boolean flag -> data.put(field.getKey(), flag);
                case null -> data.putNull(field.getKey());
                default -> data.put(field.getKey(), String.valueOf(field.getValue()));
            }
        }
        return data.put("at", at.toString());
    }
}
