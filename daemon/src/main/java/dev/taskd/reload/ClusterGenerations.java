package dev.taskd.reload;

import dev.taskd.config.ConfigSnapshot;
import dev.taskd.loop.Generation;
import dev.taskd.store.ClusterStore;
import dev.taskd.store.HeadMovedException;
import dev.taskd.store.Publication;
import dev.taskd.store.PublishedGeneration;
import dev.taskd.store.StoreException;
import dev.taskd.template.Renderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The history of generations when the daemon is a node of a cluster: numbers, sources and
 * retention are the cluster's, in the database ({@code config_generations}), never the data dir's
 * (whose {@code meta} table all nodes share on PostgreSQL, and whose snapshots another node could
 * not read). A reload publishes before it applies; a rollback or a loop pinned to a generation
 * reads that generation's sources from the database. Thread-safe: each call is one transaction.
 */
public final class ClusterGenerations {

    private final ClusterStore store;
    private final String node;
    private final Path configFile;
    private final Supplier<Generation> current;

    /**
     * @param configFile this node's taskd.toml, under whose directory published sources are laid out
     * @param current    the generation in force, whose node-local sections published ones are composed with
     */
    public ClusterGenerations(ClusterStore store, String node, Path configFile, Supplier<Generation> current) {
        this.store = store;
        this.node = node;
        this.configFile = configFile;
        this.current = current;
    }

    /**
     * The generation a starting node runs its files as: the head's number when they are the
     * head's content; the first number when the cluster has none yet (they are published); else 0,
     * "none of the cluster's": the node then applies the head ({@link #head}) before it claims loops,
     * rather than publish files that may be stale.
     */
    Generation begin(ConfigSnapshot snapshot, int keep) {
        ClusterSources.Shared shared = ClusterSources.of(snapshot);
        Optional<PublishedGeneration> head = store.head();
        long number;
        if (head.isEmpty()) {
            try {
                number = store.publish(0, shared.hash(), shared.json(), node, ReloadTrigger.START.label(), "", keep)
                        .number();
            } catch (HeadMovedException e) {
                number = 0; // another node published first, other content: apply it rather than race it
            }
        } else {
            number = head.get().hash().equals(shared.hash()) ? head.get().number() : 0;
        }
        return new Generation(number, snapshot, new Renderer(snapshot.templates()));
    }

    /** The cluster's newest generation (without its sources); empty before the first publish. */
    public Optional<PublishedGeneration> head() {
        return store.head();
    }

    /** The content address of {@code snapshot} as the cluster would publish it. */
    public static String hashOf(ConfigSnapshot snapshot) {
        return ClusterSources.of(snapshot).hash();
    }

    long nextNumber(long current) {
        try {
            return Math.max(current, store.head().map(PublishedGeneration::number).orElse(0L)) + 1;
        } catch (StoreException e) {
            return current + 1; // the publish then says what is wrong with the database
        }
    }

    /**
     * Publishes {@code candidate}, checked against generation {@code base}.
     *
     * @throws HeadMovedException when another node published since {@code base}
     * @throws StoreException     when the database cannot be reached
     */
    Publication publish(Generation candidate, long base, ReloadTrigger trigger, String actor, int keep) {
        ClusterSources.Shared shared = ClusterSources.of(candidate.snapshot());
        return store.publish(base, shared.hash(), shared.json(), node, trigger.label(), actor, keep);
    }

    /** Published generation {@code number}'s sources laid out for this node; empty when not published or pruned. */
    Optional<SnapshotStore.Stored> stored(long number) throws IOException {
        Optional<PublishedGeneration> published;
        try {
            published = store.generation(number);
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (published.isEmpty()) {
            return Optional.empty();
        }
        String localToml = current.get().snapshot().sources().getFirst().text();
        return Optional.of(ClusterSources.materialize(published.get(), configFile, localToml));
    }

    String whyNotKept(long target, int keep) {
        long head = store.head().map(PublishedGeneration::number).orElse(0L);
        if (target > head || target < 1) {
            return "generation " + target + " does not exist in the cluster: the newest is " + head;
        }
        return "generation " + target + " is no longer in the cluster's history: reload.keep-snapshots = " + keep
                + " keeps the newest ones (and those unfinished loops run on)";
    }
}
