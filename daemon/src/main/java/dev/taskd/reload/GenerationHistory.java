package dev.taskd.reload;

import dev.taskd.audit.AuditTrail;
import dev.taskd.audit.AuditQuery;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.config.Change;
import dev.taskd.config.Secrets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import dev.taskd.config.ConfigDiff;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.LoadCache;
import dev.taskd.config.LoadResult;
import dev.taskd.config.ScriptValidator;
import dev.taskd.config.SourceTree;
import dev.taskd.loop.Generation;
import dev.taskd.store.Publication;
import dev.taskd.store.Store;
import dev.taskd.template.Renderer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The generations of a data dir, numbered for its whole life: the last one applied is in the
 * store ({@code meta}), each applied one's sources in the {@link SnapshotStore}. A start whose
 * sources hash to the last applied generation keeps its number; any other start is the next
 * number, audited with trigger {@code start}. So a number names one configuration forever, in
 * snapshots, the audit log and the API.
 *
 * <p>On a node of a cluster ({@link #openInCluster}) numbers, sources and retention are the
 * cluster's instead ({@link ClusterGenerations}): nothing of it is kept in the data dir.
 *
 * <p>Thread-safe: the snapshot store is used under this object's lock. The reload manager calls
 * {@link #applied} under its own lock; loop runners call {@link #rebuild} for a pinned loop
 * after a restart.
 */
public final class GenerationHistory {

    static final String LAST = "generation.last";
    static final String LAST_HASH = "generation.last-hash";
    /** Salted fingerprints of the last generation's secrets (see {@code Secrets.fingerprints}), as JSON. */
    static final String LAST_SECRETS = "generation.last-secrets";
    static final String SALT = "secrets.salt";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rebuilt generations kept in memory for pinned loops; a rebuild costs a full load. */
    private static final int REBUILT = 8;

    private final SnapshotStore snapshots;
    private final Store store;
    private final Path displayBase;
    private final ScriptValidator scripts;
    /** Null on a single daemon. */
    private final ClusterGenerations cluster;
    private byte[] salt;
    private final Map<Long, Generation> rebuilt = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Generation> eldest) {
            return size() > REBUILT;
        }
    };

    private GenerationHistory(SnapshotStore snapshots, Store store, Path displayBase, ScriptValidator scripts,
                              ClusterGenerations cluster) {
        this.cluster = cluster;
        this.snapshots = snapshots;
        this.store = store;
        this.displayBase = displayBase;
        this.scripts = scripts;
    }

    /** Opens the history of {@code dataDir}, whose store is {@code store}. */
    public static GenerationHistory open(Path dataDir, Store store, Path displayBase, ScriptValidator scripts)
            throws IOException {
        return new GenerationHistory(new SnapshotStore(dataDir), store, displayBase, scripts, null);
    }

    /** The history of a node of a cluster: the cluster's, see {@link ClusterGenerations}. */
    public static GenerationHistory openInCluster(Path dataDir, Store store, Path displayBase, ScriptValidator scripts,
                                                  ClusterGenerations cluster) throws IOException {
        return new GenerationHistory(new SnapshotStore(dataDir), store, displayBase, scripts, cluster);
    }

    /**
     * The generation a start runs {@code snapshot} as: the last applied one's number when the
     * sources are the same, else the next number, recorded (snapshot, store, audit entry with
     * trigger {@code start} and the diff from the last applied generation when it is kept).
     */
    public synchronized Generation begin(ConfigSnapshot snapshot, AuditTrail audit, int keep) throws IOException {
        if (cluster != null) {
            return cluster.begin(snapshot, keep);
        }
        Instant started = Instant.now();
        long recorded = lastApplied(audit);
        // A snapshot newer than the store's note is a generation whose note a crash or a full disk
        // kept from being written: numbering goes on after it, never over it.
        long last = Math.max(recorded, snapshots.generations().stream().mapToLong(Long::longValue).max().orElse(0));
        Optional<String> lastHash = last == recorded ? store.meta(LAST_HASH) : Optional.empty();
        if (lastHash.isEmpty()) {
            lastHash = snapshots.hash(last);
        }
        Optional<Map<String, String>> lastSecrets = last == recorded ? recordedSecrets() : Optional.empty();
        Map<String, String> secrets = snapshot.secrets().fingerprints(salt());
        // Unknown secrets (a data dir from before they were recorded) count as unchanged.
        boolean sameSecrets = lastSecrets.map(secrets::equals).orElse(true);
        if (last > 0 && lastHash.isPresent() && lastHash.get().equals(snapshot.hash()) && sameSecrets) {
            Generation same = generation(last, snapshot);
            if (snapshots.hash(last).isEmpty()) {
                snapshots.save(last, snapshot, keep, store.generationsInUse());
            }
            if (last != recorded || !snapshot.hash().equals(store.meta(LAST_HASH).orElse("")) || lastSecrets.isEmpty()) {
                note(same);
            }
            return same;
        }
        Generation next = generation(last + 1, snapshot);
        record(next, keep);
        if (last > 0) {
            List<Change> changes = new ArrayList<>(diffFrom(last, snapshot).changes());
            lastSecrets.ifPresent(before -> Secrets.changes(before, secrets).stream()
                    .filter(change -> changes.stream().noneMatch(known -> known.key().equals(change.key())))
                    .forEach(changes::add));
            ConfigDiff diff = new ConfigDiff(changes);
            audit.append("reload", ReloadJson.event(new ReloadEvent(started, last, next.number(), ReloadTrigger.START,
                    "", diff.changes().stream().map(Change::redacted).toList(), diff.scope(),
                    new ReloadResult.Applied(diff.changes(), List.of()), Duration.between(started, Instant.now()),
                    List.of())));
        }
        return next;
    }

    /**
     * The number the next applied generation gets: one more than {@code current}, or than any
     * generation kept, so that a snapshot an abandoned reload could not delete is never
     * overwritten (numbers may then skip one; they never repeat).
     */
    synchronized long nextNumber(long current) {
        if (cluster != null) {
            return cluster.nextNumber(current);
        }
        try {
            return Math.max(current, snapshots.generations().stream().mapToLong(Long::longValue).max().orElse(0)) + 1;
        } catch (IOException e) {
            return current + 1; // the save then fails rather than overwrite: SnapshotStore never replaces a number
        }
    }

    /**
     * Undoes, as far as the disk allows, the record of a generation whose reload was undone after
     * {@link #applied} (its audit entry could not be written): its snapshot is dropped and the
     * store's note goes back to {@code before}. What cannot be undone now only makes
     * {@link #nextNumber} skip its number.
     */
    synchronized void abandoned(Generation abandoned, Generation before) {
        if (cluster != null) {
            return; // published already: the node applies the head again at its next poll
        }
        try {
            snapshots.discard(abandoned.number(), abandoned.snapshot().hash());
            note(before);
        } catch (IOException | RuntimeException e) {
            // See above: the number is skipped, never reused.
        }
    }

    /** Records an applied generation: its snapshot, then the store's note of the last one (in a cluster: published before). */
    synchronized void applied(Generation generation, int keep) throws IOException {
        if (cluster == null) {
            record(generation, keep);
        }
    }

    /**
     * In a cluster, publishes {@code candidate} (checked against generation {@code base}) before it
     * is applied; on a single daemon a publication of the candidate's own number.
     *
     * @throws dev.taskd.store.HeadMovedException when another node published since {@code base}
     * @throws dev.taskd.store.StoreException     when the cluster's database cannot be reached
     */
    Publication publish(Generation candidate, long base, ReloadTrigger trigger, String actor, int keep) {
        return cluster == null ? new Publication(candidate.number(), true)
                : cluster.publish(candidate, base, trigger, actor, keep);
    }

    private void record(Generation generation, int keep) throws IOException {
        snapshots.save(generation.number(), generation.snapshot(), keep, store.generationsInUse());
        note(generation);
    }

    /** The store's note of the last generation: number, source hash, secrets' fingerprints. */
    private void note(Generation generation) throws IOException {
        byte[] salt = salt();
        store.putMeta(Map.of(LAST, Long.toString(generation.number()), LAST_HASH, generation.snapshot().hash(),
                LAST_SECRETS, JSON.writeValueAsString(generation.snapshot().secrets().fingerprints(salt)),
                SALT, HexFormat.of().formatHex(salt)));
    }

    private Optional<Map<String, String>> recordedSecrets() throws IOException {
        Optional<String> json = store.meta(LAST_SECRETS);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(json.get(), new TypeReference<TreeMap<String, String>>() { }));
    }

    /** This data dir's salt for secret fingerprints: made once, kept in the store with the first note. */
    private byte[] salt() {
        if (salt == null) {
            salt = store.meta(SALT).map(HexFormat.of()::parseHex).orElseGet(() -> {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                return fresh;
            });
        }
        return salt;
    }

    /** A kept generation's sources, for a rollback. Empty when it is not kept. */
    synchronized Optional<SnapshotStore.Stored> stored(long number) throws IOException {
        if (cluster != null) {
            return cluster.stored(number);
        }
        return snapshots.load(number);
    }

    /**
     * Why generation {@code target} cannot be rolled back to: pruned, not made yet, or never kept.
     *
     * @param newest the generation in force
     * @param keep   {@code reload.keep-snapshots}, for the message
     */
    synchronized String whyNotKept(long target, long newest, int keep) throws IOException {
        if (cluster != null) {
            return cluster.whyNotKept(target, keep);
        }
        List<Long> kept = snapshots.generations();
        String keptText = kept.isEmpty() ? "none" : kept.size() == 1 ? String.valueOf(kept.getFirst())
                : kept.getFirst() + ".." + kept.getLast() + (kept.size() == kept.getLast() - kept.getFirst() + 1
                        ? "" : " (" + kept.size() + " generations)");
        if (target > newest) {
            return "generation " + target + " does not exist: the newest is " + newest;
        }
        if (target < 1) {
            return "generation " + target + " does not exist: generations are numbered from 1";
        }
        if (!kept.isEmpty() && target < kept.getFirst()) {
            return "generation " + target + " was pruned: reload.keep-snapshots = " + keep
                    + " keeps the newest ones (kept: " + keptText + ")";
        }
        return "no snapshot of generation " + target + " is kept (kept: " + keptText + ")";
    }

    /**
     * Generation {@code number} rebuilt from its kept sources, for a loop pinned to a version of
     * its type that the generation in force no longer has. Empty when it is not kept or its
     * sources no longer load (the reason is in the exception of the log, not here).
     */
    public Optional<Generation> rebuild(long number) {
        synchronized (this) {
            Generation known = rebuilt.get(number);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<SnapshotStore.Stored> stored;
        try {
            stored = stored(number);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<ConfigSnapshot> snapshot = load(stored.get());
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        Generation generation = generation(number, snapshot.get());
        synchronized (this) {
            rebuilt.put(number, generation);
        }
        return Optional.of(generation);
    }

    /**
     * The last applied generation: from the store, or, for a data dir from before the store kept
     * it, the highest number among the kept snapshots and the audit log, so that numbering goes on
     * after the history it already has. 0 for a new data dir.
     */
    private long lastApplied(AuditTrail audit) throws IOException {
        Optional<String> recorded = store.meta(LAST);
        if (recorded.isPresent()) {
            return Long.parseLong(recorded.get());
        }
        long last = snapshots.generations().stream().mapToLong(Long::longValue).max().orElse(0);
        for (var entry : audit.read(AuditQuery.all())) {
            last = Math.max(last, entry.path("generation_after").asLong(0));
        }
        return last;
    }

    /** The changes from kept generation {@code last} to {@code next}; none when it is not kept or does not load. */
    private ConfigDiff diffFrom(long last, ConfigSnapshot next) {
        try {
            Optional<ConfigSnapshot> before = snapshots.load(last).flatMap(this::load);
            if (before.isPresent()) {
                return ConfigDiff.between(before.get(), next);
            }
        } catch (IOException e) {
            // No diff to show; the entry still records the new number.
        }
        return ConfigDiff.between(next, next);
    }

    private Optional<ConfigSnapshot> load(SnapshotStore.Stored stored) {
        // A cache of its own: the reload manager's cache is for the line of generations it applies.
        LoadResult result = new ConfigLoader(displayBase, scripts, SourceTree.of(stored.files(), stored.directories()),
                new LoadCache()).load(stored.configFile());
        return result.snapshot();
    }

    private static Generation generation(long number, ConfigSnapshot snapshot) {
        return new Generation(number, snapshot, new Renderer(snapshot.templates()));
    }
}
