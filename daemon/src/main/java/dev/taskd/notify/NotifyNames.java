package dev.taskd.notify;

import dev.taskd.event.DaemonEvent;
import dev.taskd.event.TaskdEvent;
import dev.taskd.loop.LoopEvent;
import java.util.Optional;

/**
 * The notification name of an event, as {@code [notify.NAME] events} lists them: a loop's run
 * ending is {@code loop.} and the state it ended in ({@code loop.succeeded}, and
 * {@code loop.awaiting_approval} once loops can wait for one); any other loop event
 * {@code loop_X} is {@code loop.X}; a reload is {@code reload.} and its result; a pending plan is
 * {@code reload.planned}. Matched as text, so a state or loop event added later needs no change
 * here, only its name in the config's list of known names.
 */
final class NotifyNames {

    private NotifyNames() {
    }

    static Optional<String> of(TaskdEvent event) {
        return switch (event) {
            case TaskdEvent.Loop loop -> loop(loop.event());
            case TaskdEvent.Reload reload -> Optional.of("reload." + reload.event().result().label());
            case TaskdEvent.Plan plan -> Optional.of("reload.planned");
            case DaemonEvent daemon -> Optional.empty();
        };
    }

    private static Optional<String> loop(LoopEvent event) {
        if (event instanceof LoopEvent.Finished finished) {
            return Optional.of("loop." + LoopEvent.label(finished.state()));
        }
        String name = event.name();
        return name.startsWith("loop_") ? Optional.of("loop." + name.substring("loop_".length())) : Optional.empty();
    }

    /** The loop type an event names itself, or null (then the notifier looks the loop up). */
    static String typeOf(TaskdEvent event) {
        Object type = event.fields().get("type");
        return type == null ? null : type.toString();
    }

    /** The loop an event is about, or null. */
    static String loopOf(TaskdEvent event) {
        return event instanceof TaskdEvent.Loop loop ? loop.event().loopId() : null;
    }
}
