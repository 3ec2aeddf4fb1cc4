package dev.taskd.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The latest deliveries, in memory and bounded ({@link #KEPT}): enough to see what a webhook
 * received lately, never a growing store. With the totals since start, and the events dropped
 * because the queue was full. Thread-safe.
 */
public final class DeliveryLog {

    static final int KEPT = 500;

    private final ArrayDeque<Delivery> recent = new ArrayDeque<>();
    private long delivered;
    private long failed;
    private long dropped;

    /** What {@code GET /v1/notify/deliveries} shows: counts and the newest deliveries first. */
    public record View(long delivered, long failed, long dropped, List<Delivery> deliveries) {
    }

    synchronized void put(Delivery delivery) {
        Iterator<Delivery> entries = recent.iterator();
        while (entries.hasNext()) {
            if (entries.next().id().equals(delivery.id())) {
                entries.remove();
                break;
            }
        }
        recent.addFirst(delivery);
        while (recent.size() > KEPT) {
            recent.removeLast();
        }
        switch (delivery.state()) {
            case DELIVERED -> delivered++;
            case FAILED -> failed++;
            case PENDING -> { }
        }
    }

    synchronized void dropped() {
        dropped++;
    }

    /** At most {@code limit} deliveries, newest first, of {@code target} (null: of all). */
    public synchronized View view(String target, int limit) {
        List<Delivery> shown = new ArrayList<>();
        for (Delivery delivery : recent) {
            if (shown.size() >= limit) {
                break;
            }
            if (target == null || delivery.target().equals(target)) {
                shown.add(delivery);
            }
        }
        return new View(delivered, failed, dropped, List.copyOf(shown));
    }
}
