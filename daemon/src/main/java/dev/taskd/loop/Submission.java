package dev.taskd.loop;

import java.util.List;
import java.util.Map;

/**
 * A request to run a loop.
 *
 * @param inputs   by name; every input of the type without a default must be given
 * @param priority higher runs first; equal priorities run oldest first
 * @param after    ids of loops that must succeed before this one starts
 */
public record Submission(String type, Map<String, String> inputs, int priority, List<String> after) {

    public Submission {
        inputs = Map.copyOf(inputs);
        after = List.copyOf(after);
    }
}
