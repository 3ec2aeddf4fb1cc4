package dev.taskd.loop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The queued loops of the {@link Scheduler}, in two parts: the <em>candidates</em>, in admission
 * order, which every admission pass looks at; and the loops <em>parked</em> on a dependency that
 * has not ended, which no pass looks at until that dependency is {@linkplain #release released}.
 * Parking is what keeps an admission pass from re-reading the store for every loop that waits
 * {@code after} another: a pass costs the candidates it looks at, not the whole queue.
 *
 * <p>Not thread-safe: the scheduler's lock guards it.
 */
final class AdmissionQueue {

    private final TreeSet<Scheduler.Queued> candidates = new TreeSet<>(Scheduler.Queued.ORDER);
    private final Map<String, Scheduler.Queued> byId = new HashMap<>();
    private final Map<String, Set<Scheduler.Queued>> parkedOn = new HashMap<>();
    private final Map<String, String> dependencyOf = new HashMap<>();

    /** Adds a loop as a candidate; a loop already queued stays as it is. */
    void add(Scheduler.Queued queued) {
        if (byId.putIfAbsent(queued.id(), queued) == null) {
            candidates.add(queued);
        }
    }

    /** The candidates in admission order; the iterator's remove takes a loop out of the queue. */
    Iterator<Scheduler.Queued> candidates() {
        Iterator<Scheduler.Queued> it = candidates.iterator();
        return new Iterator<>() {
            private Scheduler.Queued last;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Scheduler.Queued next() {
                last = it.next();
                return last;
            }

            @Override
            public void remove() {
                it.remove();
                byId.remove(last.id());
            }
        };
    }

    /**
     * Moves a candidate out of the passes until {@code dependency} is released. Not while
     * iterating the candidates: the iterator would fail.
     */
    void park(Scheduler.Queued queued, String dependency) {
        candidates.remove(queued);
        parkedOn.computeIfAbsent(dependency, d -> new LinkedHashSet<>()).add(queued);
        dependencyOf.put(queued.id(), dependency);
    }

    /** The loops parked on {@code dependency} become candidates again; how many. */
    int release(String dependency) {
        Set<Scheduler.Queued> waiting = parkedOn.remove(dependency);
        if (waiting == null) {
            return 0;
        }
        for (Scheduler.Queued queued : waiting) {
            dependencyOf.remove(queued.id());
            candidates.add(queued);
        }
        return waiting.size();
    }

    /** The dependencies some loop is parked on. */
    List<String> awaitedDependencies() {
        return List.copyOf(parkedOn.keySet());
    }

    /** Takes the loop out of the queue, candidate or parked; false when it was not queued. */
    boolean remove(String id) {
        Scheduler.Queued queued = byId.remove(id);
        if (queued == null) {
            return false;
        }
        String dependency = dependencyOf.remove(id);
        if (dependency == null) {
            candidates.remove(queued);
        } else {
            Set<Scheduler.Queued> waiting = parkedOn.get(dependency);
            waiting.remove(queued);
            if (waiting.isEmpty()) {
                parkedOn.remove(dependency);
            }
        }
        return true;
    }

    /** Takes every queued loop that {@code matches} out of the queue; their ids. */
    List<String> removeWhere(Predicate<Scheduler.Queued> matches) {
        List<String> ids = new ArrayList<>();
        for (Scheduler.Queued queued : byId.values()) {
            if (matches.test(queued)) {
                ids.add(queued.id());
            }
        }
        ids.forEach(this::remove);
        return ids;
    }

    /** Every queued loop, candidate or parked, in admission order. */
    List<Scheduler.Queued> all() {
        TreeSet<Scheduler.Queued> ordered = new TreeSet<>(Scheduler.Queued.ORDER);
        ordered.addAll(byId.values());
        return List.copyOf(ordered);
    }

    /**
     * What a queued loop waits for: the dependency it is parked on, or the candidates admitted
     * before it; empty when it is not queued. Costs the candidates ahead of it.
     */
    Optional<Waiting> waiting(String id) {
        Scheduler.Queued queued = byId.get(id);
        if (queued == null) {
            return Optional.empty();
        }
        String dependency = dependencyOf.get(id);
        return Optional.of(dependency != null ? new Waiting.After(dependency)
                : new Waiting.Queued(candidates.headSet(queued, false).size()));
    }

    int size() {
        return byId.size();
    }

    /** For tests: the loops no pass looks at now. */
    Collection<Scheduler.Queued> parked() {
        return parkedOn.values().stream().flatMap(Set::stream).toList();
    }
}
