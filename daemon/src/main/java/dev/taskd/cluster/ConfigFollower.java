package dev.taskd.cluster;

import dev.taskd.concurrent.Threads;
import dev.taskd.config.Finding;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.loop.Generation;
import dev.taskd.reload.ClusterGenerations;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.PlanExpectation;
import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadResult;
import dev.taskd.reload.ReloadTrigger;
import dev.taskd.store.Membership;
import dev.taskd.store.PublishedGeneration;
import dev.taskd.store.StoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Makes this node run the cluster's configuration head, Envoy's way: it polls the head (every
 * {@link #POLL}, so a generation published anywhere is applied everywhere well within 2 s),
 * applies a newer one through the reload pipeline (trigger {@code cluster}, the actor the node
 * that published it), and records on its row of {@code nodes} the generation it runs (ACK) or the
 * last it rejected and why (NACK). A node that rejects the head keeps its generation and tries
 * the head again only when it changes or after {@link #RETRY_REJECTED}. A change of its own files
 * that fails to validate is never published, and is this node's last error too.
 *
 * <p>One platform thread; the first poll runs in {@link #start}, before the node claims loops.
 */
public final class ConfigFollower implements AutoCloseable {

    /** How often the head is read: a small query, and the 2 s promise needs a margin. */
    static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_REJECTED = Duration.ofSeconds(60);

    private final ClusterGenerations generations;
    private final ClusterNode node;
    private final HotReloadManager reloads;
    private final Supplier<Generation> current;
    private final BooleanSupplier draining;
    private final ClusterNode.Listener listener;
    /** The head this node rejected last, and why; null when it runs the head's content. */
    private volatile Long rejected;
    private volatile String headError;
    /** Why the last reload of this node's own files was rejected or failed; null after one that applied. */
    private volatile String localError;
    private volatile long rejectedAtNanos;
    private volatile boolean closed;
    private Ack acked;
    private ConfigSnapshot hashed;
    private String hash;
    private Thread thread;

    public ConfigFollower(ClusterGenerations generations, ClusterNode node, HotReloadManager reloads,
                          Supplier<Generation> current, BooleanSupplier draining, ClusterNode.Listener listener) {
        this.generations = generations;
        this.node = node;
        this.reloads = reloads;
        this.current = current;
        this.draining = draining;
        this.listener = listener;
    }

    /** Applies the head now if this node does not run it, then follows it on a thread of its own. */
    public void start() {
        node.closeFirst(this);
        poll();
        thread = Threads.startPlatformDaemon("taskd-config-follower", this::follow);
    }

    /**
     * A reload on this node (subscriber, off the reload path): a change of its own files that was
     * rejected or failed is its last error; one that applied clears it.
     */
    public void reloaded(ReloadEvent event) {
        if (event.trigger() == ReloadTrigger.CLUSTER) {
            return; // poll() records those itself, with the generation it rejected
        }
        switch (event.result()) {
            case ReloadResult.Applied applied -> localError = null; // published: the head the poll then sees
            case ReloadResult.Unchanged unchanged -> localError = null;
            case ReloadResult.Rejected refused -> localError = event.trigger().label() + " reload rejected: "
                    + reason(refused);
            case ReloadResult.Failed failed -> localError = event.trigger().label() + " reload failed: " + failed.error();
        }
    }

    private void follow() {
        while (!closed) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    private void poll() {
        try {
            Optional<PublishedGeneration> head = generations.head();
            if (head.isPresent() && head.get().number() != current.get().number() && !draining.getAsBoolean()
                    && !hashOf(current.get().snapshot()).equals(head.get().hash()) && due(head.get().number())) {
                apply(head.get());
            }
            // A node whose configuration is the head's content runs the head, whatever its own number says.
            boolean runsHead = head.isPresent() && hashOf(current.get().snapshot()).equals(head.get().hash());
            if (runsHead) {
                rejected = null;
                headError = null;
            }
            long applied = runsHead ? head.get().number() : current.get().number();
            Optional<Membership> member = node.membership();
            Ack ack = new Ack(member.orElse(null), applied, rejected, headError != null ? headError : localError,
                    draining.getAsBoolean());
            if (member.isPresent() && !ack.equals(acked)) {
                node.store().acknowledge(member.get(), ack.applied(), ack.rejected(), ack.error(), ack.draining());
                acked = ack;
            }
        } catch (StoreException e) {
            listener.changed("config_poll_failed", e.getMessage() + "; trying again in " + POLL.toMillis() + " ms",
                    true);
        } catch (RuntimeException e) {
            listener.changed("config_poll_failed", String.valueOf(e), true);
        }
    }

    /** What the node's row says; written again only when it changes (or the node joined anew). */
    private record Ack(Membership member, long applied, Long rejected, String error, boolean draining) {
    }

    /** Whether to try {@code head}: not the one rejected last, or that was a while ago. */
    private boolean due(long head) {
        Long last = rejected;
        return last == null || last != head || System.nanoTime() - rejectedAtNanos > RETRY_REJECTED.toNanos();
    }

    private void apply(PublishedGeneration head) {
        String failure;
        try {
            ReloadEvent event = reloads.rollback(Optional.of(head.number()), ReloadTrigger.CLUSTER,
                    head.publishedBy(), PlanExpectation.NONE);
            failure = switch (event.result()) {
                case ReloadResult.Applied applied -> null;
                case ReloadResult.Unchanged unchanged -> null;
                case ReloadResult.Rejected refused -> reason(refused);
                case ReloadResult.Failed failed -> failed.error();
            };
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        if (failure == null) {
            rejected = null;
            headError = null;
            listener.changed("config_applied", "applied generation " + head.number() + " published by node "
                    + head.publishedBy(), false);
            return;
        }
        rejected = head.number();
        rejectedAtNanos = System.nanoTime();
        headError = "generation " + head.number() + " rejected: " + failure;
        listener.changed("config_rejected", "generation " + head.number() + " published by node "
                + head.publishedBy() + " was rejected here, which keeps generation " + current.get().number() + ": "
                + failure, true);
    }

    /** A rejection's reason and its first error, which names the file, line and column. */
    private static String reason(ReloadResult.Rejected refused) {
        return refused.findings().stream().filter(Finding::isError).findFirst()
                .map(finding -> refused.reason() + ": " + finding).orElse(refused.reason());
    }

    private synchronized String hashOf(ConfigSnapshot snapshot) {
        if (snapshot != hashed) {
            hash = ClusterGenerations.hashOf(snapshot);
            hashed = snapshot;
        }
        return hash;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
