package dev.taskd.reload;

import dev.taskd.concurrent.Threads;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Hands reload events to subscribers after the reload has committed, off the reload path: each
 * subscriber has its own virtual thread and a bounded queue. A subscriber that is slow loses
 * events once its queue is full (and that is reported), and one that throws is reported; neither
 * can delay or fail a reload. Thread-safe.
 */
public final class Subscribers implements Consumer<ReloadEvent> {

    /** Events a subscriber may fall behind by before it loses them. */
    static final int QUEUE = 1024;

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, Throwable> onFailure;

    /** @param onFailure told the subscriber's name and what went wrong (a full queue, an exception) */
    public Subscribers(BiConsumer<String, Throwable> onFailure) {
        this.onFailure = onFailure;
    }

    /** Adds a subscriber, named for failure reports; returns a handle that removes it. */
    public AutoCloseable subscribe(String name, Consumer<ReloadEvent> subscriber) {
        Subscription subscription = new Subscription(name, subscriber, new ArrayBlockingQueue<>(QUEUE));
        subscription.thread = Threads.startVirtual("subscriber-" + name, subscription::deliver);
        subscriptions.add(subscription);
        return () -> {
            subscriptions.remove(subscription);
            subscription.thread.interrupt();
        };
    }

    /** Queues {@code event} for every subscriber; never blocks. */
    @Override
    public void accept(ReloadEvent event) {
        for (Subscription subscription : subscriptions) {
            if (!subscription.queue.offer(event)) {
                onFailure.accept(subscription.name, new IllegalStateException(
                        "its queue of " + QUEUE + " events is full; this event is dropped for it"));
            }
        }
    }

    private final class Subscription {
        final String name;
        final Consumer<ReloadEvent> subscriber;
        final BlockingQueue<ReloadEvent> queue;
        Thread thread;

        Subscription(String name, Consumer<ReloadEvent> subscriber, BlockingQueue<ReloadEvent> queue) {
            this.name = name;
            this.subscriber = subscriber;
            this.queue = queue;
        }

        void deliver() {
            while (true) {
                ReloadEvent event;
                try {
                    event = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    onFailure.accept(name, e);
                }
            }
        }
    }
}
