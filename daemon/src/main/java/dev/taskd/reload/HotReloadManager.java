package dev.taskd.reload;

import dev.taskd.audit.AuditTrail;
import dev.taskd.config.LoadCache;
import dev.taskd.config.ScriptValidator;
import dev.taskd.config.SourceTree;
import dev.taskd.config.TaskdConfig;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hot reload, in a fixed order: read → parse → diff → classify → validate → build (see {@link Preparation})
 * → on a node of a cluster, publish ({@link Publishing}) → swap the one generation reference → side effects →
 * snapshot → audit → notify. Any failure leaves the previous generation in force and says so.
 *
 * <p>Single-flight: one reload at a time, under one lock. Triggers that arrive while one runs
 * ({@link #request}) cause exactly one more reload after it, which reads the files as they are
 * then, so the last write always wins. Synchronous callers ({@link #reload}) wait their turn.
 *
 * <p>While the data dir cannot be written, reloads (and rollbacks) are refused with
 * {@link StorageUnavailableException} and change nothing: a generation that cannot be recorded
 * in the audit log and the snapshots is not put in force.
 */
public final class HotReloadManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HotReloadManager.class.getName());

    private final Path configFile;
    private final Path displayBase;
    private final ScriptValidator scripts;
    /** Parsed files and built types of the last load, so a reload redoes only what changed. */
    private final LoadCache loadCache;
    private final AtomicReference<Generation> current;
    private final LoopEngine engine;
    private final SideEffects sideEffects;
    private final GenerationHistory history;
    private final ReloadRecorder recorder;
    /** The audit log's: a reload writes the audit log and the snapshots, both in the data dir. */
    private final StorageHealth storage;
    private final BooleanSupplier draining;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReloadRequests requests = new ReloadRequests(this::handle);
    /** Manual apply mode's plan of the change noticed last; null when there is none. */
    private volatile PendingPlan pendingPlan;
    private final Consumer<PendingPlan> planned;
    private final SourceDrift sources;
    private final WatchedPaths watched;
    /** Watches the files the generation in force names; null until {@link #startWatching}. */
    private volatile ConfigWatcher watcher;
    private volatile ReloadPhases phases = ReloadPhases.NONE;

    public HotReloadManager(Path configFile, Path displayBase, ScriptValidator scripts, LoadCache loadCache,
                            AtomicReference<Generation> current,
                            LoopEngine engine, List<SideEffect> sideEffects, GenerationHistory history, AuditTrail audit,
                            Consumer<ReloadEvent> subscribers, Consumer<PendingPlan> planned,
                            BooleanSupplier draining) throws IOException {
        this.configFile = configFile;
        this.displayBase = displayBase;
        this.scripts = scripts;
        this.loadCache = loadCache;
        this.current = current;
        this.engine = engine;
        this.watched = new WatchedPaths(configFile, () -> watcher);
        List<SideEffect> steps = new ArrayList<>(sideEffects);
        steps.add(watched);
        this.sideEffects = new SideEffects(steps);
        this.history = history;
        this.storage = audit.storage();
        this.recorder = new ReloadRecorder(audit, subscribers);
        this.planned = planned;
        this.draining = draining;
        this.sources = new SourceDrift(configFile);
    }

    /** Who is told when each reload begins and ends; set before the first reload. */
    public void observePhases(ReloadPhases observer) {
        phases = observer;
    }

    /**
     * Starts watching: file events and the resync (when the files differ from those last read)
     * become {@link #request}s, in the directories the generation in force names, which every
     * reload that changes them re-registers. {@link #close} stops it.
     *
     * @param onError told what went wrong in the watcher; it goes on (or falls back to the resync)
     * @throws IOException when no WatchService can be created
     */
    public void startWatching(Consumer<Throwable> onError) throws IOException {
        watcher = ConfigWatcher.start(() -> watched.settings(current.get()), sources::now, sources::attempted,
                this::request, onError);
    }

    /** Stops the watcher, if started; reloads asked for directly still run. */
    @Override
    public void close() {
        ConfigWatcher running = watcher;
        if (running != null) {
            running.close();
        }
    }

    /** Reloads from the files now and returns what happened. Blocks while another reload runs. */
    public ReloadEvent reload(ReloadTrigger trigger, String actor) {
        return reload(trigger, actor, PlanExpectation.NONE);
    }

    /**
     * Reloads from the files now if they are what {@code expected} says; the pending plan, if
     * any, is settled by it.
     *
     * @throws PreconditionFailedException when another generation is in force or the files moved;
     *                                     nothing was applied or audited
     */
    public ReloadEvent reload(ReloadTrigger trigger, String actor, PlanExpectation expected) {
        lock.lock();
        phases.started();
        try {
            ReloadEvent event = run(trigger, actor, SourceTree.DISK, configFile, null, expected);
            if (event.result() instanceof ReloadResult.Applied || event.result() instanceof ReloadResult.Unchanged) {
                pendingPlan = null;
            }
            return event;
        } finally {
            phases.ended();
            lock.unlock();
        }
    }

    /**
     * Asks for a reload without waiting (file events, resync, SIGHUP). While one runs, any
     * number of requests collapse into one more reload after it.
     */
    public void request(ReloadTrigger trigger) {
        requests.request(trigger);
    }

    /** One asynchronous trigger: in manual apply mode the watcher, the resync and SIGHUP only plan. */
    private void handle(ReloadTrigger trigger) {
        try {
            if (trigger.automatic() && manualApply()) {
                planPending(trigger);
            } else {
                reload(trigger, "");
            }
        } catch (StorageUnavailableException e) {
            // Refused, changing nothing; the resync tries again once the data dir is writable.
            LOG.log(System.Logger.Level.WARNING, "reload_refused trigger=" + trigger.label() + ": " + e.getMessage());
        }
    }

    private boolean manualApply() {
        return current.get().snapshot().config().reload().apply() == TaskdConfig.Apply.MANUAL;
    }

    /**
     * Manual apply mode: steps 1–5 for the files now, kept as the pending plan and announced,
     * instead of a reload. The files' fingerprint counts as attempted, so the resync does not plan
     * the same files again. A plan with nothing to change clears the pending one.
     */
    private void planPending(ReloadTrigger trigger) {
        lock.lock();
        try {
            Generation before = current.get();
            if (draining.getAsBoolean()) {
                return;
            }
            SourceTree reading = SourceTree.readOnce(SourceTree.DISK);
            String fingerprint = sources.read(reading);
            ReloadPlan plan = Plans.of(Preparation.prepare(configFile, displayBase, scripts, loadCache, reading, before,
                    history.nextNumber(before.number()), engine), before);
            if (plan.verdict() == ReloadPlan.Verdict.UNCHANGED) {
                sources.applied(fingerprint);
                pendingPlan = null;
                return;
            }
            PendingPlan pending = new PendingPlan(plan, trigger, Instant.now());
            pendingPlan = pending;
            planned.accept(pending);
        } finally {
            lock.unlock();
        }
    }

    /** In manual apply mode, the change noticed and not yet applied. */
    public Optional<PendingPlan> pending() {
        return Optional.ofNullable(pendingPlan);
    }

    /** Steps 1–5 for the files now, changing nothing: the dry run. */
    public ReloadPlan plan() {
        lock.lock();
        try {
            Generation before = current.get();
            if (draining.getAsBoolean()) {
                return ReloadPlan.nothing(ReloadPlan.Verdict.REJECT, "the daemon is draining; reloads are refused",
                        before.number());
            }
            return Plans.of(Preparation.prepare(configFile, displayBase, scripts, loadCache, SourceTree.DISK, before,
                    history.nextNumber(before.number()), engine), before);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Steps 1–5 for the sources in force with {@code candidates} laid over them, changing nothing:
     * a preview of files that are not in place. Their own parse cache, so that the reloads' cache
     * stays the one of the generations applied.
     *
     * @param candidates contents by path relative to the configuration ({@code taskd.toml},
     *                   {@code loop-types/NAME}, {@code templates/NAME}); see {@link CandidateSources}
     * @throws IllegalArgumentException naming a path that is not laid out like the configuration
     */
    public ReloadPlan plan(Map<String, byte[]> candidates) {
        lock.lock();
        try {
            Generation before = current.get();
            if (draining.getAsBoolean()) {
                return ReloadPlan.nothing(ReloadPlan.Verdict.REJECT, "the daemon is draining; reloads are refused",
                        before.number());
            }
            SourceTree overlaid = CandidateSources.overlay(before.snapshot(), candidates);
            return Plans.of(Preparation.prepare(before.snapshot().configFile(), displayBase, scripts, new LoadCache(),
                    overlaid, before, history.nextNumber(before.number()), engine), before);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-applies the sources of generation {@code to} (the previous one when empty) through the
     * same pipeline, when {@code expected}'s generation is in force; the files on disk are left as
     * they are, so status shows drift.
     */
    public ReloadEvent rollback(Optional<Long> to, ReloadTrigger trigger, String actor, PlanExpectation expected) {
        return outsideTheFiles(trigger, actor, before -> {
            expected.checkBase(before.number());
            long target = to.orElse(before.number() - 1);
            Optional<SnapshotStore.Stored> stored = history.stored(target);
            if (stored.isEmpty()) {
                throw new IllegalArgumentException(history.whyNotKept(target, before.number(), keepSnapshots()));
            }
            return new Sources(SourceTree.of(stored.get().files(), stored.get().directories()),
                    stored.get().configFile(), stored.get().hash());
        });
    }

    /**
     * Applies the sources in force with {@code candidates} laid over them ({@link #plan(Map)}'s
     * preview) as a new generation: {@code caddy reload --config}. As after a rollback, the files
     * on disk stay as they are (status shows drift) and the next change to them is reloaded.
     */
    public ReloadEvent reload(Map<String, byte[]> candidates, ReloadTrigger trigger, String actor) {
        return outsideTheFiles(trigger, actor, before -> new Sources(
                CandidateSources.overlay(before.snapshot(), candidates), before.snapshot().configFile(), null));
    }

    /** A reload, under the lock, of sources that are not the files on disk: {@code sources} picks them. */
    private ReloadEvent outsideTheFiles(ReloadTrigger trigger, String actor, SourcePick sources) {
        lock.lock();
        phases.started();
        try {
            Sources picked = sources.pick(current.get());
            return run(trigger, actor, picked.tree(), picked.configFile(), picked.expectedHash(), PlanExpectation.NONE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read snapshot: " + e.getMessage(), e);
        } finally {
            phases.ended();
            lock.unlock();
        }
    }

    /** @param expectedHash the hash they must load as (a generation's kept sources), or null */
    private record Sources(SourceTree tree, Path configFile, String expectedHash) { }

    private interface SourcePick {
        Sources pick(Generation before) throws IOException;
    }

    /** The fingerprint of the files on disk now (reads them, validates nothing). */
    public String diskFingerprint() {
        return sources.now();
    }

    /** Whether the generation in force differs from the files on disk, as {@link RecentFingerprint} read them. */
    public boolean drift() {
        return sources.drift();
    }

    /**
     * @param expectedHash for a rollback, the hash the kept generation recorded; null otherwise
     * @throws StorageUnavailableException when the data dir cannot be written (nothing changed,
     *                                     not audited), or stopped being writable while the
     *                                     reload recorded itself (the previous generation is back)
     */
    private ReloadEvent run(ReloadTrigger trigger, String actor, SourceTree tree, Path config, String expectedHash,
                            PlanExpectation expected) {
        Instant started = Instant.now();
        Generation before = current.get();
        expected.checkBase(before.number());
        if (draining.getAsBoolean()) {
            return recorder.finish(started, before, before, trigger, actor, List.of(), Optional.empty(),
                    new ReloadResult.Rejected("the daemon is draining; reloads are refused", List.of(), List.of()),
                    List.of());
        }
        storage.requireWritable();
        // The fingerprint and the load read the same bytes, each file once.
        SourceTree reading = tree == SourceTree.DISK ? SourceTree.readOnce(tree) : tree;
        String fingerprint = tree == SourceTree.DISK ? sources.read(reading) : null;
        Preparation.Outcome outcome = Preparation.prepare(config, displayBase, scripts, loadCache, reading, before,
                history.nextNumber(before.number()), engine);
        if (expected.candidateHash() != null) {
            Plans.Candidate candidate = Plans.candidate(outcome, before);
            expected.checkCandidate(candidate.hash(), candidate.sources());
        }
        return switch (outcome) {
            case Preparation.Invalid invalid -> recorder.finish(started, before, before, trigger, actor, List.of(),
                    Optional.empty(), new ReloadResult.Rejected(Plans.invalidReason(invalid), List.of(), invalid.findings()),
                    List.of());
            case Preparation.Unchanged unchanged -> {
                if (fingerprint != null) {
                    sources.applied(fingerprint);
                }
                yield recorder.finish(started, before, before, trigger, actor, List.of(), Optional.empty(),
                        new ReloadResult.Unchanged(), List.of());
            }
            case Preparation.Unsafe unsafe -> recorder.finish(started, before, before, trigger, actor, unsafe.diff().changes(),
                    unsafe.diff().scope(), new ReloadResult.Rejected(Plans.unsafeReason(unsafe), unsafe.restartOnly(),
                            List.of()), List.of());
            case Preparation.Ready ready when expectedHash != null
                    && !expectedHash.equals(ready.candidate().snapshot().hash()) -> recorder.finish(started, before, before,
                    trigger, actor, List.of(), Optional.empty(), new ReloadResult.Rejected(
                            "the kept sources of that generation load as hash " + ready.candidate().snapshot().hash()
                                    + ", not the recorded " + expectedHash + "; nothing was applied", List.of(),
                            List.of()), List.of());
            case Preparation.Ready ready -> switch (Publishing.decide(history, ready, before.number(), trigger, actor,
                    keepSnapshots())) {
                case Publishing.Apply published -> apply(started, before, published.ready(), trigger, actor, fingerprint);
                case Publishing.Finish finish -> recorder.finish(started, before, before, trigger, actor,
                        ready.diff().changes(), ready.diff().scope(), finish.settle(sources, fingerprint), List.of());
            };
        };
    }

    /** Step 6 and after: swap, side effects (undone on failure), snapshot, audit, notify. */
    private ReloadEvent apply(Instant started, Generation before, Preparation.Ready ready, ReloadTrigger trigger,
                              String actor, String fingerprint) {
        Generation after = ready.candidate();
        current.set(after);
        try {
            sideEffects.apply(before, after);
        } catch (SideEffects.Failure e) {
            current.set(before);
            return recorder.finish(started, before, before, trigger, actor, ready.diff().changes(), ready.diff().scope(),
                    new ReloadResult.Failed(e.error, e.undone), ready.effects());
        }
        engine.generationApplied(after);
        String appliedBefore = sources.applied();
        sources.applied(fingerprint != null ? fingerprint : "");
        List<String> warnings = new ArrayList<>(ready.warnings());
        try {
            try {
                history.applied(after, keepSnapshots());
            } catch (IOException e) {
                if (storage.failed("save the snapshot of generation " + after.number(), e)) {
                    throw storage.unavailable(e);
                }
                warnings.add("the snapshot of generation " + after.number() + " could not be saved: " + e.getMessage());
            }
            return recorder.finish(started, before, after, trigger, actor, ready.diff().changes(), ready.diff().scope(),
                    new ReloadResult.Applied(ready.diff().changes(), warnings), ready.effects());
        } catch (StorageUnavailableException e) {
            // Not recorded, so not applied: the generation in force stays the one the audit log names last.
            history.abandoned(after, before);
            current.set(before);
            sideEffects.undoAll(before, after, e);
            engine.generationApplied(before);
            sources.undone(appliedBefore); // the resync tries these files again once space is back
            throw e;
        }
    }

    private int keepSnapshots() {
        return current.get().snapshot().config().reload().keepSnapshots();
    }

}
