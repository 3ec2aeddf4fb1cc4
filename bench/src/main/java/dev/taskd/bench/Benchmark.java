package dev.taskd.bench;

import java.util.List;

/**
 * One benchmark: measures the real daemon and its baseline side by side. Implementations run
 * their own warm-up (never recorded) and then {@link Bench#rounds()} recorded rounds.
 */
interface Benchmark {

    /** The name on the command line: {@code ./taskd bench NAME}. */
    String name();

    /** One line for the report: what is measured against what. */
    String what();

    /** Runs warm-up and rounds; the figures hold one value (and baseline) per round. */
    List<Figure> run(Bench bench) throws Exception;
}
