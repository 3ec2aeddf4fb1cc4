package dev.taskd.loop;

import dev.taskd.config.DidYouMean;
import dev.taskd.config.LoopType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a submission's loop type and its inputs against that type, and fills in defaults. */
final class SubmittedInputs {

    private SubmittedInputs() {
    }

    /**
     * @return the loop type {@code name} among {@code types}
     * @throws LoopException NOT_FOUND when there is none (with a did-you-mean), BAD_REQUEST when it is abstract
     */
    static LoopType type(Map<String, LoopType> types, String name) {
        LoopType type = types.get(name);
        if (type == null) {
            String hint = DidYouMean.hint(name, types.keySet());
            throw new LoopException(LoopException.Kind.NOT_FOUND, "no loop type '" + name + "'"
                    + (hint.isEmpty() ? "" : "; " + hint));
        }
        if (type.isAbstract()) {
            throw new LoopException(LoopException.Kind.BAD_REQUEST, "loop type '" + type.name()
                    + "' is abstract: it can only be extended");
        }
        return type;
    }

    /**
     * @return the inputs in the type's order, defaults included
     * @throws LoopException BAD_REQUEST naming an unknown input or a missing required one
     */
    static Map<String, String> check(LoopType type, Map<String, String> given) {
        List<String> names = type.inputs().stream().map(LoopType.Input::name).toList();
        for (String name : given.keySet()) {
            if (!names.contains(name)) {
                String hint = DidYouMean.hint(name, names);
                throw new LoopException(LoopException.Kind.BAD_REQUEST, "loop type '" + type.name()
                        + "' has no input '" + name + "'" + (hint.isEmpty() ? "; its inputs are: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)) : "; " + hint));
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        for (LoopType.Input input : type.inputs()) {
            String value = given.containsKey(input.name()) ? given.get(input.name()) : input.defaultValue();
            if (value == null) {
                throw new LoopException(LoopException.Kind.BAD_REQUEST, "loop type '" + type.name()
                        + "' needs input '" + input.name() + "'" + (input.description().isEmpty() ? ""
                        : " (" + input.description() + ")"));
            }
            inputs.put(input.name(), value);
        }
        return inputs;
    }
}
