package dev.taskd.daemon;

import dev.taskd.api.ApiServer;
import dev.taskd.api.DaemonStatus;
import dev.taskd.api.EventStream;
import dev.taskd.audit.AuditTrail;
import dev.taskd.cluster.ClusterNode;
import dev.taskd.concurrent.Limiter;
import dev.taskd.concurrent.Threads;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.LoadCache;
import dev.taskd.config.LoadResult;
import dev.taskd.config.SourceTree;
import dev.taskd.config.TaskdConfig;
import dev.taskd.config.TomlDocument;
import dev.taskd.event.DaemonEvent;
import dev.taskd.event.TaskdEvent;
import dev.taskd.llm.LlmGateway;
import dev.taskd.loop.Generation;
import dev.taskd.loop.Leftovers;
import dev.taskd.loop.LoopDirs;
import dev.taskd.loop.LoopEngine;
import dev.taskd.loop.LoopEvent;
import dev.taskd.loop.LoopEvents;
import dev.taskd.metrics.MetricSources;
import dev.taskd.metrics.TaskdMetrics;
import dev.taskd.process.Child;
import dev.taskd.process.OutputHub;
import dev.taskd.process.ShellCommands;
import dev.taskd.process.Spawner;
import dev.taskd.reload.GenerationHistory;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.reload.LogLevel;
import dev.taskd.reload.PendingPlan;
import dev.taskd.reload.ReloadTrigger;
import dev.taskd.reload.Subscribers;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.script.ScriptEngines;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.LoopState;
import dev.taskd.store.StorageHealth;
import dev.taskd.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The daemon's life: load the configuration (refusing an invalid one), open the store, resume
 * unfinished loops, serve the admin API, and on a signal stop in the reverse order.
 * {@link #start} returns once the daemon is ready; {@link #awaitStopped} blocks until it stopped.
 */
public final class Daemon implements DaemonStatus {

    private static final AtomicBoolean WARMING_UP = new AtomicBoolean();

    private final String version;
    private final Instant startedAt = Instant.now();
    private final AtomicReference<Generation> generation;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final SystemdNotify systemd = SystemdNotify.fromEnvironment();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final EventLog log = new EventLog();
    private StorageHealth storage;
    private Store store;
    private ClusterNode cluster; // null on SQLite
    private AuditTrail audit;
    private LoopEngine engine;
    private HotReloadManager reloads;
    private EventStream events;
    private ApiServer api;
    private DataDirLock lock;
    private ShellCommands commands;
    private Automations automations;

    private Daemon(String version, ConfigSnapshot snapshot) {
        this.version = version;
        this.generation = new AtomicReference<>(Generation.first(snapshot));
    }

    /**
     * Begins, on background threads and once per process, the slow first uses a start needs:
     * Helidon's service discovery, SQLite's native library, Jackson's TOML parser. They overlap
     * the parsing of the command line and the configuration; none opens a socket or creates the
     * data directory, so a refused configuration still starts nothing. GraalJS is not among
     * them: a restart trusts the last start's script verdicts and needs no script engine until
     * after it is ready, when it is warmed up (a first start warms it as soon as it knows).
     */
    public static void warmUp() {
        if (WARMING_UP.compareAndSet(false, true)) {
            Threads.startPlatformDaemon("api-warm-up", ApiServer::warmUp);
            Threads.startPlatformDaemon("store-warm-up", Store::preload);
            Threads.startPlatformDaemon("config-warm-up", TomlDocument::warmUp);
        }
    }

    /**
     * Loads {@code configFile} and starts serving.
     *
     * @param displayBase findings name files relative to this directory
     * @throws InvalidConfigException when the configuration has errors; nothing was started
     * @throws IOException            when the API cannot listen or the token file cannot be read
     */
    public static Daemon start(Path configFile, Path displayBase, String version)
            throws InvalidConfigException, IOException {
        warmUp();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        // The reload manager reuses this load's checks and parses (the first reload redoes only what changed),
        // and trusts the scripts the last start in this data dir saw pass (PassedScripts): no GraalJS to be ready.
        GraalScriptCheck scripts = GraalScriptCheck.rememberingAcrossStarts();
        LoadCache cache = new LoadCache();
        LoadResult result = new ConfigLoader(displayBase, scripts, SourceTree.DISK, cache).load(configFile);
        if (!result.valid()) {
            throw new InvalidConfigException("the configuration is invalid", result.findings());
        }
        ConfigSnapshot snapshot = result.snapshot().orElseThrow();
        // A non-loopback listen without a token is a finding of the load (AdminAccess), like at every reload.
        ListenAddress listen = ListenAddress.parse(snapshot.config().daemon().listen());
        Daemon daemon = new Daemon(version, snapshot);
        daemon.open(configFile, displayBase, listen, scripts, cache);
        return daemon;
    }

    /**
     * Opens everything in the order that keeps a failed start harmless: the data dir's lock
     * first (a second daemon stops here), then the store, audit log and generation history, then
     * the API, and only once it listens are unfinished loops resumed. A failure closes what was
     * opened, in reverse.
     */
    private void open(Path configFile, Path displayBase, ListenAddress listen, GraalScriptCheck scripts, LoadCache cache)
            throws IOException {
        TaskdConfig config = generation.get().snapshot().config();
        LogLevel.set(config.monitoring().logLevel());
        Path dataDir = config.daemon().dataDir();
        lock = DataDirLock.acquire(dataDir, listen.display());
        try {
            openLocked(configFile, displayBase, listen, scripts, cache, dataDir);
        } catch (IOException | RuntimeException e) {
            closeAfterFailedStart(e);
            throw e;
        }
    }

    private void openLocked(Path configFile, Path displayBase, ListenAddress listen, GraalScriptCheck scripts,
                            LoadCache cache, Path dataDir) throws IOException {
        storage = new StorageHealth(dataDir, this::storageChanged);
        store = StoreOpener.open(generation.get().snapshot().config().storage(), dataDir, storage, System::getenv);
        cluster = StoreOpener.joinCluster(generation.get().snapshot().config(), store, System::getenv,
                (what, detail, trouble) -> log.emit(new DaemonEvent.Cluster(what, detail, trouble)));
        LoopDirs loopDirs = LoopDirs.open(dataDir, generation.get().snapshot().config().cluster().sharedDir());
        OutputHub liveOutput = new OutputHub(loopDirs.outputs());
        Limiter processes = new Limiter(() -> generation.get().snapshot().config().limits().maxProcesses());
        commands = new ShellCommands(processes, Spawner.best(note -> log.emit(new DaemonEvent.ProcessContainment(note))),
                () -> generation.get().snapshot().config().limits().maxOutput(), storage::failed, this::recordCommand,
                liveOutput);
        // Before anything else runs: a crash may have left commands whose loops are about to resume.
        int leftovers = cluster != null ? 0 : Leftovers.kill(store, commands); // in a cluster: takeovers
        if (leftovers > 0) {
            log.emit(new DaemonEvent.LeftoverCommandsKilled(leftovers));
        }
        audit = StoreOpener.openAudit(generation.get().snapshot().config().storage(), dataDir, storage, cluster,
                System::getenv, repair -> log.emit(new DaemonEvent.AuditRepaired(repair)));
        ClusterConfig clusterConfig = new ClusterConfig(cluster, configFile, generation::get, log);
        GenerationHistory history = clusterConfig.history(dataDir, store, displayBase, scripts);
        ConfigSnapshot loaded = generation.get().snapshot();
        generation.set(history.begin(loaded, audit, loaded.config().reload().keepSnapshots()));
        try {
            scripts.rememberPassesForNextStart();
        } catch (IOException e) {
            log.emit(new DaemonEvent.ScriptVerdictsNotSaved(String.valueOf(e)));
        }
        events = new EventStream(store);
        TaskdMetrics metrics = new TaskdMetrics(new MetricSources(() -> generation.get().number(),
                () -> LoopState.byName(engine.counts()), () -> engine.queuedCount(), processes::inUse, draining::get));
        metrics.storage(storage);
        metrics.runtime(version);
        LoopEvents loopEvents = event -> {
            publish(new TaskdEvent.Loop(event));
            metrics.loop(event);
            if (event instanceof LoopEvent.Finished finished) {
                liveOutput.forget(finished.loopId());
            }
        };
        LlmGateway llm = LlmGateway.create(() -> generation.get().snapshot().config().llm(),
                () -> generation.get().snapshot().config().limits(), metrics::llmCall);
        engine = new LoopEngine(store, generation::get, history::rebuild, commands, new ScriptRunner(), llm::chat,
                loopEvents, loopDirs);
        automations = new Automations(generation::get, engine, store, log, cluster);
        Subscribers subscribers = new Subscribers((name, failure) -> log.emit(
                new DaemonEvent.SubscriberFailed(name, String.valueOf(failure))));
        subscribers.subscribe("log", reload -> log.emit(new TaskdEvent.Reload(reload)));
        subscribers.subscribe("events", reload -> events.emit(new TaskdEvent.Reload(reload)));
        subscribers.subscribe("metrics", metrics);
        subscribers.subscribe("automations", automations::reloaded);
        reloads = new HotReloadManager(configFile, displayBase, scripts, cache, generation, engine,
                List.of(new LogLevel()), history, audit, subscribers, this::planned, draining::get);
        reloads.observePhases(systemd.reloadPhases(draining::get, () -> generation.get().number()));
        reloads.startWatching(failure -> log.emit(new DaemonEvent.WatcherError(String.valueOf(failure))));
        clusterConfig.follow(reloads, subscribers, draining::get);
        api = ApiServer.start(listen.host(), listen.port(), this, engine, reloads, audit, events, metrics, liveOutput,
                automations.schedules(), automations.notifier().log());
        lock.describe(new ListenAddress(listen.host(), api.port()).display());
        // Only now that the API listens: a start that cannot serve must not have run anything.
        int resumed = cluster == null ? engine.start() : cluster.start(engine);
        automations.start();
        if (!api.tokenRequired()) {
            log.emit(new DaemonEvent.ApiWithoutToken(listen.host()));
        }
        Signals.install(this);
        Runtime.getRuntime().addShutdownHook(Threads.unstartedPlatform("taskd-shutdown", () -> stop("jvm shutdown")));
        ready.set(true);
        systemd.ready(generation.get().number());
        ScriptEngines.warmUp();
        log.emit(new DaemonEvent.Started(commands.describe(), version, listen.host(), api.port(),
                generation.get().number(), dataDir.toString(), resumed));
    }

    /** Keeps the command a loop runs now in the store, for {@link Leftovers} after a crash. */
    private void recordCommand(String loopId, Child child) {
        Consumer<Throwable> failed = e -> log.emit(new DaemonEvent.CommandNotRecorded(loopId,
                child.pid(), String.valueOf(e)));
        try {
            store.recordCommand(loopId, child.pid(), child.startTime(), child.cgroup()).exceptionally(e -> {
                failed.accept(e);
                return null;
            });
        } catch (RuntimeException e) {
            failed.accept(e);
        }
    }

    /**
     * A second signal while stopping: kills every running command, then ends the process at
     * once. The store is crash-safe; the cut-off iterations are recorded as interrupted at the
     * next start.
     */
    void forceExit() {
        try {
            if (commands != null) {
                commands.killAll();
            }
        } finally {
            Runtime.getRuntime().halt(1);
        }
    }

    /** Manual apply mode: a noticed change was planned, not applied. */
    private void planned(PendingPlan pending) {
        publish(new TaskdEvent.Plan(pending));
    }

    /** Logs an event and streams it to {@code /v1/events}. */
    private void publish(TaskdEvent event) {
        log.emit(event);
        events.emit(event);
        if (automations != null) {
            automations.offer(event);
        }
    }

    /** Closes, newest first, what a failed start opened; secondary failures are kept on {@code failure}. */
    private void closeAfterFailedStart(Exception failure) {
        List<AutoCloseable> opened = new ArrayList<>();
        Collections.addAll(opened, automations, api, reloads, engine, cluster, store, audit, storage, lock);
        for (AutoCloseable part : opened) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Drains and stops: readiness turns 503 and submissions and reloads are refused at once;
     * running iterations get {@code limits.drain-timeout} to finish, and what still runs then is
     * interrupted and recorded as such; queued loops stay queued. Then the API, store and audit log
     * close. Idempotent; {@code cause} says why, for the log. Blocks until stopped.
     */
    public void stop(String cause) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        ready.set(false);
        // Before anything that may take a while: once /v1/ready says 503, submissions get 503 too.
        engine.refuseSubmissions();
        systemd.stopping();
        long started = System.nanoTime();
        Duration timeout = generation.get().snapshot().config().limits().drainTimeout();
        try {
            automations.stopFiring();
            log.emit(new DaemonEvent.DrainStarted(cause, engine.runningCount(), engine.queuedCount(), timeout));
            LoopEngine.Drained drained = engine.drain(timeout);
            log.emit(new DaemonEvent.DrainCompleted(drained.finished(), drained.interrupted(),
                    Duration.ofNanos(System.nanoTime() - started)));
            automations.close();
            if (cluster != null) {
                cluster.close();
            }
            reloads.close();
            events.close();
            api.close();
            store.close();
            audit.close();
            storage.close();
            closeLock();
            log.emit(new DaemonEvent.Stopped());
        } finally {
            stopped.countDown();
        }
    }

    private void closeLock() {
        try {
            lock.close();
        } catch (IOException e) {
            log.emit(new DaemonEvent.LockReleaseFailed(String.valueOf(e)));
        }
    }

    /** Logs a transition of the data dir: {@code storage_unwritable} (a warning) or {@code storage_writable}. */
    private void storageChanged(Path dataDir, StorageHealth.Status now) {
        log.emit(new DaemonEvent.StorageChanged(dataDir.toString(), now.freeBytes(), now.writable(), now.reason()));
    }

    @Override
    public StorageHealth.Status storage() {
        return storage.status();
    }

    /** Starts a drain and returns at once: for {@code POST /v1/shutdown}. */
    @Override
    public void shutdown() {
        Threads.startVirtual("stop-on-api", () -> stop("api"));
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public int port() {
        return api.port();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Generation generation() {
        return generation.get();
    }

    @Override
    public boolean ready() {
        return ready.get();
    }

    @Override
    public boolean draining() {
        return draining.get();
    }

    @Override
    public boolean drift() {
        return reloads.drift();
    }

    @Override
    public Optional<PendingPlan> pendingPlan() {
        return reloads.pending();
    }

    /** Asks for a reload from the files, as SIGHUP does. */
    void requestReload(ReloadTrigger trigger) {
        reloads.request(trigger);
    }
}
