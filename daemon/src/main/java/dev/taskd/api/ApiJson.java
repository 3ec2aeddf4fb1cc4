package dev.taskd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.LoopType;
import dev.taskd.loop.Waiting;
import dev.taskd.store.IterationRecord;
import dev.taskd.store.LoopNote;
import dev.taskd.store.LoopRecord;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the admin API (README, "Admin API"): one place, snake_case names. */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode error(String code, String message) {
        return object().put("error", code).put("message", message);
    }

    static ObjectNode loop(LoopRecord loop) {
        ObjectNode node = object()
                .put("id", loop.id())
                .put("type", loop.type())
                .put("type_version", loop.typeVersion())
                .put("generation", loop.generation())
                .put("state", lower(loop.state()))
                .put("reason", loop.reason())
                .put("priority", loop.priority());
        ArrayNode after = node.putArray("after");
        loop.after().forEach(after::add);
        ObjectNode inputs = node.putObject("inputs");
        loop.inputs().forEach(inputs::put);
        node.put("iterations", loop.iterations())
                .put("workdir", loop.workdir())
                .put("created_at", loop.createdAt().toString())
                .put("updated_at", loop.updatedAt().toString());
        node.set("data", parse(loop.stateJson()));
        return node;
    }

    /**
     * {@code {"reason","until","delay_ms","ahead","loop_id","detail"}}: the fields that do not
     * apply to the reason are null; {@code detail} says it in words.
     */
    static ObjectNode waiting(Waiting waiting) {
        ObjectNode node = object().put("reason", waiting.reason());
        switch (waiting) {
            case Waiting.Delay delay -> node.put("until", delay.until().toString())
                    .put("delay_ms", delay.delay().toMillis()).putNull("ahead").putNull("loop_id")
                    .put("detail", delay.backoff() ? "exponential backoff" : "fixed delay");
            case Waiting.Queued queued -> node.putNull("until").putNull("delay_ms").put("ahead", queued.ahead())
                    .putNull("loop_id").put("detail", queued.ahead() + " ahead");
            case Waiting.After after -> node.putNull("until").putNull("delay_ms").putNull("ahead")
                    .put("loop_id", after.loopId()).put("detail", "waiting for loop " + after.loopId());
        }
        return node;
    }

    static ObjectNode iteration(IterationRecord iteration) {
        ObjectNode node = object()
                .put("loop_id", iteration.loopId())
                .put("number", iteration.number())
                .put("started_at", iteration.startedAt().toString())
                .put("ended_at", iteration.endedAt().toString())
                .put("outcome", lower(iteration.outcome()));
        if (iteration.validationExitCode() == null) {
            node.putNull("validation_exit_code");
        } else {
            node.put("validation_exit_code", iteration.validationExitCode());
        }
        return node.put("output_tail", iteration.outputTail())
                .put("generation", iteration.generation())
                .put("tokens_in", iteration.tokensIn())
                .put("tokens_out", iteration.tokensOut())
                .put("error", iteration.error())
                .put("cost", iteration.cost());
    }

    /** Adds to a loop's JSON its totals of tokens and cost, and its notes (who retried, approved, rejected it). */
    static ObjectNode spending(ObjectNode loop, List<IterationRecord> iterations, List<LoopNote> notes) {
        loop.put("tokens_in", iterations.stream().mapToLong(IterationRecord::tokensIn).sum())
                .put("tokens_out", iterations.stream().mapToLong(IterationRecord::tokensOut).sum())
                .put("cost", iterations.stream().mapToDouble(IterationRecord::cost).sum());
        ArrayNode array = loop.putArray("notes");
        notes.forEach(note -> array.addObject().put("at", note.at().toString()).put("actor", note.actor())
                .put("action", note.action()).put("iteration", note.iteration()).put("detail", note.detail()));
        return loop;
    }

    static ObjectNode loopType(LoopType type, long generation) {
        ObjectNode node = object()
                .put("name", type.name())
                .put("description", type.description())
                .put("version", type.version())
                .put("generation", generation)
                .put("abstract", type.isAbstract())
                .put("action", switch (type.action()) {
                    case LoopType.Script script -> "script";
                    case LoopType.Command command -> "command";
                    case LoopType.NoAction none -> "none";
                })
                .put("max_iterations", type.maxIterations())
                .put("approval", lower(type.gates().approval()).replace('_', '-'))
                .put("max_cost", type.gates().maxCost())
                .put("stall_after", type.gates().stallAfter());
        ArrayNode inputs = node.putArray("inputs");
        for (LoopType.Input input : type.inputs()) {
            inputs.addObject().put("name", input.name()).put("default", input.defaultValue())
                    .put("required", input.required()).put("description", input.description());
        }
        return node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
