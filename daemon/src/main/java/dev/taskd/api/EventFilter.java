package dev.taskd.api;

import dev.taskd.config.DidYouMean;
import dev.taskd.loop.LoopEvent;
import io.helidon.common.parameters.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events one {@code /v1/events} client asked for: {@code ?type=} names (a loop event's
 * name such as {@code iteration_completed}, or a whole kind: {@code loop}, {@code reload},
 * {@code plan}) and {@code ?loop=} ids, each repeatable or comma-separated. Values of one
 * parameter are alternatives; the two parameters must both match. Reload and plan events are
 * about no one loop, so a {@code loop} filter leaves them out. {@code reset} events always pass:
 * a client that lost events must hear of it whatever it filters.
 *
 * @param types empty for every type
 * @param loops empty for every loop
 */
record EventFilter(Set<String> types, Set<String> loops) {

    static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    private static final List<String> KINDS = List.of("loop", "reload", "plan");
    private static final List<String> PARAMETERS = List.of("type", "loop");
    private static final Pattern LOOP_ID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    EventFilter {
        types = Set.copyOf(types);
        loops = Set.copyOf(loops);
    }

    /** The filter of a request's query; a 400 naming the parameter or value it does not know. */
    static EventFilter of(Parameters query) {
        for (String name : query.names()) {
            if (!PARAMETERS.contains(name)) {
                String hint = DidYouMean.hint(name, PARAMETERS);
                throw ApiException.badRequest("unknown parameter '" + name + "' for /v1/events; it takes type= and"
                        + " loop=" + (hint.isEmpty() ? "" : "; " + hint));
            }
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : values(query, "type")) {
            if (!KINDS.contains(type) && !LoopEvent.NAMES.contains(type)) {
                List<String> known = new ArrayList<>(KINDS);
                known.addAll(LoopEvent.NAMES);
                String hint = DidYouMean.hint(type, known);
                throw ApiException.badRequest("type '" + type + "' is not an event type; "
                        + (hint.isEmpty() ? "one of " + String.join(", ", known) : hint));
            }
            types.add(type);
        }
        Set<String> loops = new LinkedHashSet<>();
        for (String loop : values(query, "loop")) {
            String id = loop.toUpperCase(Locale.ROOT);
            if (!LOOP_ID.matcher(id).matches()) {
                throw ApiException.badRequest("loop '" + abbreviate(loop) + "' is not a loop id: give the whole"
                        + " 26-character id as POST /v1/loops or GET /v1/loops answers it");
            }
            loops.add(id);
        }
        return new EventFilter(types, loops);
    }

    boolean matches(ReplayBuffer.Event event) {
        boolean type = types.isEmpty() || types.contains(event.type()) || types.contains(event.name());
        boolean loop = loops.isEmpty() || event.loopId() != null && loops.contains(event.loopId());
        return type && loop;
    }

    /** Every value, the repeated parameters' and the comma-separated ones'; a 400 for an empty one. */
    private static List<String> values(Parameters query, String name) {
        if (!query.contains(name)) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String value : query.all(name)) {
            for (String part : value.split(",", -1)) {
                String stripped = part.strip();
                if (stripped.isEmpty()) {
                    throw ApiException.badRequest(name + "= has an empty value; give one or more, comma-separated,"
                            + " or leave the parameter out for every " + name);
                }
                values.add(stripped);
            }
        }
        return values;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
