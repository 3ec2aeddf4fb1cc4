package dev.taskd.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where the gauges that describe the daemon's present state read it, at scrape time. Reading on
 * demand, rather than being told of every change, means a gauge cannot drift from the truth when
 * an event is lost, and nothing on the iteration or reload path pays for them.
 *
 * <p>Each supplier is called on the scraping thread, once per scrape, concurrently with loops
 * and reloads: it must be thread-safe and quick. One that throws fails that scrape (the HTTP
 * answer is a 500 and Prometheus marks the target down) and nothing else.
 *
 * @param generation     the configuration generation in force
 * @param loopsByState   loops by state name ({@code queued}, {@code running}, ...); every state
 *                       should be present, with 0 when it has no loop, so a series never vanishes
 * @param queueLength    loops waiting for a slot
 * @param processesInUse child processes (commands, validations) running now
 * @param draining       whether the daemon is draining
 */
public record MetricSources(LongSupplier generation, Supplier<Map<String, Long>> loopsByState,
                            IntSupplier queueLength, IntSupplier processesInUse, BooleanSupplier draining) {

    public MetricSources {
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(loopsByState, "loopsByState");
        Objects.requireNonNull(queueLength, "queueLength");
        Objects.requireNonNull(processesInUse, "processesInUse");
        Objects.requireNonNull(draining, "draining");
    }
}
