package dev.taskd.config;

import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.loop.LoopException;
import dev.taskd.loop.Submission;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.LoopState;
import dev.taskd.store.Store;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The loops of the dry-run parity test: at least one for every type in force that runs the
 * parity command, a few more that the limits may keep queued, and a wait until the scheduler is quiet — every
 * loop it admitted recorded as running, no queued loop it could still admit — so that a dry run
 * and the reload after it see the same loops.
 *
 * <p>A loop admitted on a version that does not run the parity command (a queued loop resumed
 * or admitted after the type changed) would iterate and end while the test runs; it is cancelled.
 */
final class ParityLoops {

    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int PER_TYPE = 3;
    private static final int TOTAL = 12;

    private final LoopEngine engine;
    private final Store store;
    private final Supplier<Generation> current;
    private final String command;
    /** Versions of types that ran the parity command when they were in force: their loops sleep. */
    private final Set<String> sleeping = new HashSet<>();
    private int submitted;
    private int cancelled;

    ParityLoops(LoopEngine engine, Store store, Supplier<Generation> current, String command) {
        this.engine = engine;
        this.store = store;
        this.current = current;
        this.command = command;
    }

    /**
     * Submits a loop for every sleeping type in force without one, and now and then one more (up
     * to {@link #PER_TYPE} of a type, {@link #TOTAL} in all), which the limits may keep queued —
     * {@link ParityTypes#WAITING} gets one whenever none of its loops waits;
     * submissions that are refused (queue full, an input the type now requires) are skipped.
     */
    void submit(int input, Random random) {
        Map<String, Integer> unfinished = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        for (LoopRecord loop : store.unfinished()) {
            unfinished.merge(loop.type(), 1, Integer::sum);
            if (loop.state() != LoopState.RUNNING) {
                waiting.merge(loop.type(), 1, Integer::sum);
            }
        }
        int total = unfinished.values().stream().mapToInt(Integer::intValue).sum();
        for (LoopType type : current.get().snapshot().loopTypes().values()) {
            if (!sleeps(type)) {
                continue;
            }
            sleeping.add(type.version());
            int count = unfinished.getOrDefault(type.name(), 0);
            // Waiting loops do not count toward TOTAL: they run no process while they wait.
            boolean another = type.name().equals(ParityTypes.WAITING)
                    ? waiting.getOrDefault(type.name(), 0) == 0 && count < PER_TYPE * 2
                    : count < PER_TYPE && total < TOTAL && random.nextInt(4) == 0;
            if (count == 0 || another) {
                try {
                    engine.submit(new Submission(type.name(), Map.of("label", "input-" + input), 0, List.of()));
                    submitted++;
                    total++;
                } catch (LoopException e) {
                    // refused: the type goes without another loop this time
                }
            }
        }
    }

    /**
     * Waits until the scheduler has admitted what it can and each admitted loop is recorded as
     * running on a sleeping version; cancels the others.
     *
     * @return "" when it settled, else what it was waiting for
     */
    String settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String waiting;
        while (!(waiting = unsettled()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return waiting;
            }
            Thread.sleep(2);
        }
        return "";
    }

    private String unsettled() {
        List<LoopRecord> loops = store.unfinished();
        List<LoopRecord> running = loops.stream().filter(loop -> loop.state() == LoopState.RUNNING).toList();
        for (LoopRecord loop : running) {
            if (!sleeping.contains(loop.typeVersion())) {
                engine.cancel(loop.id());
                cancelled++;
                return "loop " + loop.id() + " runs version " + loop.typeVersion() + ", which does not sleep";
            }
        }
        if (engine.runningCount() != running.size()) {
            return engine.runningCount() + " loops admitted, " + running.size() + " recorded as running";
        }
        TaskdConfig.Limits limits = current.get().snapshot().config().limits();
        Map<String, Integer> byType = new HashMap<>();
        running.forEach(loop -> byType.merge(loop.type(), 1, Integer::sum));
        for (LoopRecord loop : loops) {
            Integer typeLimit = limits.perType().get(loop.type());
            if (loop.state() == LoopState.QUEUED && running.size() < limits.maxLoops()
                    && (typeLimit == null || byType.getOrDefault(loop.type(), 0) < typeLimit)) {
                return "loop " + loop.id() + " is queued, and the limits admit it";
            }
        }
        return "";
    }

    private boolean sleeps(LoopType type) {
        return !type.isAbstract() && type.action() instanceof LoopType.Command(String line) && line.equals(command)
                && type.isolation() == LoopType.Isolation.NONE && type.maxIterations() >= 1
                && type.iterationTimeout().compareTo(Duration.ofDays(1)) >= 0;
    }

    int submitted() {
        return submitted;
    }

    int cancelled() {
        return cancelled;
    }
}
