package dev.taskd.store;

import java.util.List;

/** The loops taken from a node whose lease ended: back in the queue, and the iterations cut off. */
public record Takeover(String node, long incarnation, List<String> loops, List<Integer> interrupted) {

    public Takeover {
        loops = List.copyOf(loops);
        interrupted = List.copyOf(interrupted);
    }
}
