package dev.taskd.schedule;

import dev.taskd.concurrent.Threads;
import dev.taskd.config.ScheduleSettings;
import dev.taskd.loop.IdempotencyKey;
import dev.taskd.loop.LoopEngine;
import dev.taskd.loop.LoopException;
import dev.taskd.loop.Submission;
import dev.taskd.loop.Submitted;
import dev.taskd.store.LoopRecord;
import dev.taskd.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The schedules of the generation in force, firing on one thread of their own. A fire submits
 * a loop through the engine like any client, with the idempotency key
 * {@code schedule:NAME:TIME}, so a fire time makes at most one loop even when it is fired twice
 * (a crash between the submission and its record, or two nodes). Reloads take effect at the
 * next {@link #wake}: an added schedule starts counting from then, a changed one recomputes its
 * next fire time and keeps its history, a removed one stops (its queued fire is dropped).
 *
 * <p>Thread-safety: every schedule's state is owned by the schedules' thread; {@link #list}
 * reads a copy it publishes after each pass. {@link #wake} may be called from any thread and
 * never blocks, so a reload or a loop ending is never held up by a schedule.
 */
public final class Schedules implements AutoCloseable {

    /** Longest sleep between passes, so that a clock jump is noticed within it. */
    private static final Duration MAX_SLEEP = Duration.ofSeconds(30);

    private final Supplier<Map<String, ScheduleSettings>> settings;
    private final LoopEngine engine;
    private final ScheduleMemory memory;
    private final Firing firing;
    private final Consumer<ScheduleEvent> events;
    private final Clock clock;
    private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>();
    private final Map<String, State> states = new LinkedHashMap<>();
    private volatile List<ScheduleStatus> published = List.of();
    private volatile boolean closed;
    private Thread thread;

    /** @param settings the schedules of the generation in force, read at each pass */
    public Schedules(Supplier<Map<String, ScheduleSettings>> settings, LoopEngine engine, Store store, Firing firing,
                     Consumer<ScheduleEvent> events, Clock clock) {
        this.settings = settings;
        this.engine = engine;
        this.memory = new ScheduleMemory(store);
        this.firing = firing;
        this.events = events;
        this.clock = clock;
    }

    /** Starts the thread; a schedule with {@code catch-up = "last"} that missed fire times while the daemon was down fires the latest now. */
    public synchronized void start() {
        thread = Threads.startVirtual("schedules", this::run);
    }

    /** Asks for a pass now: after a reload, or when a loop ended (a queued fire may go). Never blocks. */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    /** Every schedule in force, in name order of the file, as of the last pass. */
    public List<ScheduleStatus> list() {
        return published;
    }

    /** The schedule that made {@code loopId}, if one did. */
    public Optional<String> origin(String loopId) {
        return memory.origin(loopId);
    }

    /** Stops firing; a fire under way finishes first. Call before the engine drains. */
    @Override
    public void close() {
        closed = true;
        wake();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        reconcile(clock.instant(), true);
        while (!closed) {
            Instant now = clock.instant();
            reconcile(now, false);
            for (State state : states.values()) {
                pass(state, now);
            }
            publish();
            sleepUntilDue();
        }
    }

    /** Brings the states in line with the settings in force; at start, loads what the store remembers. */
    private void reconcile(Instant now, boolean starting) {
        Map<String, ScheduleSettings> wanted = settings.get();
        states.keySet().removeIf(name -> !wanted.containsKey(name));
        wanted.forEach((name, schedule) -> {
            State state = states.get(name);
            if (state == null) {
                state = new State(schedule);
                states.put(name, state);
                state.next = FireTimes.next(schedule, now).orElse(null);
                if (starting) {
                    remember(state, now);
                }
            } else if (!state.settings.equals(schedule)) {
                state.settings = schedule;
                state.next = FireTimes.next(schedule, now).orElse(null);
            }
        });
    }

    private void remember(State state, Instant now) {
        String name = state.settings.name();
        state.lastLoop = memory.lastLoop(name).orElse(null);
        state.lastFire = memory.lastFire(name).orElse(null);
        if (state.settings.catchUp() == ScheduleSettings.CatchUp.LAST && state.lastFire != null) {
            FireTimes.latest(state.settings, now).filter(missed -> missed.isAfter(state.lastFire))
                    .ifPresent(missed -> state.catchUp = missed);
        }
    }

    /** Fires what is due for one schedule: a caught-up time, a queued one whose predecessor ended, the next. */
    private void pass(State state, Instant now) {
        if (state.catchUp != null) {
            Instant missed = state.catchUp;
            state.catchUp = null;
            fire(state, missed, true);
        }
        if (state.queued != null && ended(state.lastLoop)) {
            Instant queued = state.queued;
            state.queued = null;
            submit(state, queued, false);
        }
        if (state.next != null && !state.next.isAfter(now)) {
            Instant due = state.next;
            state.next = FireTimes.next(state.settings, now).orElse(null);
            fire(state, due, false);
        }
    }

    /** One fire time: this node's to fire, and what the overlap rule says while the previous loop runs. */
    private void fire(State state, Instant time, boolean catchUp) {
        String name = state.settings.name();
        if (!firing.thisNodeFires(name, time)) {
            return;
        }
        if (ended(state.lastLoop)) {
            submit(state, time, catchUp);
            return;
        }
        switch (state.settings.overlap()) {
            case ALLOW -> submit(state, time, catchUp);
            case SKIP -> {
                state.skipped++;
                state.lastFire = time;
                memory.passed(name, time);
                events.accept(new ScheduleEvent.Skipped(name, time, state.lastLoop));
            }
            case QUEUE -> {
                if (state.queued != null) {
                    state.skipped++;
                }
                state.queued = time;
                events.accept(new ScheduleEvent.Queued(name, time, state.lastLoop));
            }
        }
    }

    private void submit(State state, Instant time, boolean catchUp) {
        String name = state.settings.name();
        state.lastFire = time;
        try {
            Submitted submitted = engine.submit(new Submission(state.settings.type(), state.settings.inputs(), 0,
                    List.of()), new IdempotencyKey("schedule:" + name + ":" + time));
            state.lastLoop = submitted.loop().id();
            state.lastError = null;
            if (!submitted.replayed()) {
                state.fired++;
            }
            memory.fired(name, time, submitted.loop().id());
            events.accept(new ScheduleEvent.Fired(name, time, submitted.loop().id(), catchUp, submitted.replayed()));
        } catch (RuntimeException e) {
            // Refused (draining, queue full, type gone, the key used with other inputs) or the
            // store failed: this time is given up, and the thread goes on for the next one.
            state.lastError = e.getMessage();
            events.accept(new ScheduleEvent.Failed(name, time, String.valueOf(e.getMessage())));
            try {
                memory.passed(name, time);
            } catch (RuntimeException unrecorded) {
                e.addSuppressed(unrecorded);
            }
        }
    }

    /** Whether the loop has ended (or there is none); a loop the store cannot read counts as ended. */
    private boolean ended(String loopId) {
        if (loopId == null) {
            return true;
        }
        try {
            LoopRecord loop = engine.find(loopId);
            return loop.state().terminal();
        } catch (LoopException e) {
            return true;
        } catch (RuntimeException e) {
            // The store cannot answer now; firing beside a loop that may still run is the lesser risk
            // only under overlap = "allow", so count it as running.
            return false;
        }
    }

    private void publish() {
        List<ScheduleStatus> statuses = new ArrayList<>();
        for (State s : states.values()) {
            statuses.add(new ScheduleStatus(s.settings, s.next, s.lastFire, s.lastLoop, s.fired, s.skipped, s.queued,
                    s.lastError));
        }
        published = List.copyOf(statuses);
    }

    /** Sleeps until the earliest next fire time, a wake-up, or {@link #MAX_SLEEP}. */
    private void sleepUntilDue() {
        Instant now = clock.instant();
        Duration sleep = MAX_SLEEP;
        for (State state : states.values()) {
            if (state.next != null) {
                Duration until = Duration.between(now, state.next);
                sleep = until.compareTo(sleep) < 0 ? until : sleep;
            }
        }
        try {
            if (!sleep.isNegative() && !sleep.isZero()) {
                wakeups.poll(sleep.toNanos(), TimeUnit.NANOSECONDS);
            }
            wakeups.clear();
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** One schedule's running state; touched only by the schedules' thread. */
    private static final class State {
        ScheduleSettings settings;
        Instant next;
        Instant lastFire;
        String lastLoop;
        Instant queued;
        Instant catchUp;
        long fired;
        long skipped;
        String lastError;

        State(ScheduleSettings settings) {
            this.settings = settings;
        }
    }
}
