package dev.taskd.event;

import static dev.taskd.loop.LoopEvent.ordered;

import dev.taskd.schedule.ScheduleEvent;
import java.time.Duration;
import java.util.Map;

/**
 * What the daemon itself did: starts, drains, stops, storage changes, and the troubles that do
 * not stop it (each warning says what was lost in {@code effect}). The log writes them; the
 * event stream, which is about loops and reloads, does not carry them.
 */
public sealed interface DaemonEvent extends TaskdEvent {

    /** Ready: the API listens and unfinished loops were {@code resumed}. */
    record Started(String commands, String version, String host, int port, long generation, String dataDir,
                   int resumed) implements DaemonEvent {
    }

    /** The API listens on {@code listen} without a token. */
    record ApiWithoutToken(String listen) implements DaemonEvent {
    }

    /** How commands are kept apart (process groups, cgroups), when the spawner has something to say. */
    record ProcessContainment(String note) implements DaemonEvent {
    }

    record DrainStarted(String cause, int running, int queued, Duration timeout) implements DaemonEvent {
    }

    record DrainCompleted(int finished, int interrupted, Duration took) implements DaemonEvent {
    }

    record Stopped() implements DaemonEvent {
    }

    /** The data dir became writable again, or (a warning, with the {@code error}) unwritable. */
    record StorageChanged(String dataDir, long freeBytes, boolean writable, String error) implements DaemonEvent {
    }

    /** A crash left commands running; the start killed {@code count} of them before resuming their loops. */
    record LeftoverCommandsKilled(int count) implements DaemonEvent {
    }

    /** The audit log's torn last line was repaired, as {@code detail} says. */
    record AuditRepaired(String detail) implements DaemonEvent {
    }

    record ScriptVerdictsNotSaved(String error) implements DaemonEvent {
    }

    /** A reload subscriber threw or fell behind. */
    record SubscriberFailed(String subscriber, String error) implements DaemonEvent {
    }

    record WatcherError(String error) implements DaemonEvent {
    }

    /** A running command could not be recorded, so a crash now would leave it behind. */
    record CommandNotRecorded(String loopId, long pid, String error) implements DaemonEvent {
    }

    record LockReleaseFailed(String error) implements DaemonEvent {
    }

    /** A schedule fired, skipped, queued or failed at a fire time. */
    record Scheduled(ScheduleEvent event) implements DaemonEvent {
    }

    /** A webhook delivery failed for good ({@code taskd notify log} has each attempt). */
    record NotificationFailed(String target, String event, String delivery, int attempts, String error)
            implements DaemonEvent {
    }

    /** A change of this node in its cluster: {@code cluster_joined}, {@code cluster_fenced}, {@code cluster_takeover}... */
    record Cluster(String what, String detail, boolean trouble) implements DaemonEvent {
    }

    @Override
    default String name() {
        return switch (this) {
            case Started e -> "daemon_started";
            case ApiWithoutToken e -> "api_without_token";
            case ProcessContainment e -> "process_containment";
            case DrainStarted e -> "drain_started";
            case DrainCompleted e -> "drain_completed";
            case Stopped e -> "daemon_stopped";
            case StorageChanged e -> e.writable() ? "storage_writable" : "storage_unwritable";
            case LeftoverCommandsKilled e -> "leftover_commands_killed";
            case AuditRepaired e -> "audit_repaired";
            case ScriptVerdictsNotSaved e -> "script_verdicts_not_saved";
            case SubscriberFailed e -> "subscriber_failed";
            case WatcherError e -> "watcher_error";
            case CommandNotRecorded e -> "command_not_recorded";
            case LockReleaseFailed e -> "lock_release_failed";
            case Scheduled e -> e.event().name();
            case NotificationFailed e -> "notification_failed";
            case Cluster e -> "cluster_" + e.what();
        };
    }

    @Override
    default Map<String, Object> fields() {
        return switch (this) {
            case Started e -> ordered("commands", e.commands(), "version", e.version(), "host", e.host(),
                    "port", e.port(), "generation", e.generation(), "data_dir", e.dataDir(), "resumed", e.resumed());
            case ApiWithoutToken e -> ordered("listen", e.listen(), "note",
                    "no API token configured; the admin API is reachable from this machine only");
            case ProcessContainment e -> ordered("note", e.note());
            case DrainStarted e -> ordered("cause", e.cause(), "running", e.running(), "queued", e.queued(),
                    "drain_timeout_ms", e.timeout().toMillis());
            case DrainCompleted e -> ordered("finished", e.finished(), "interrupted", e.interrupted(),
                    "duration_ms", e.took().toMillis());
            case Stopped e -> Map.of();
            case StorageChanged e -> e.writable() ? ordered("data_dir", e.dataDir(), "free_bytes", e.freeBytes())
                    : ordered("data_dir", e.dataDir(), "free_bytes", e.freeBytes(), "error", e.error());
            case LeftoverCommandsKilled e -> ordered("count", e.count(),
                    "cause", "the previous daemon stopped without draining");
            case AuditRepaired e -> ordered("detail", e.detail());
            case ScriptVerdictsNotSaved e -> ordered("error", e.error(),
                    "effect", "the next start checks every script again");
            case SubscriberFailed e -> ordered("subscriber", e.subscriber(), "error", e.error());
            case WatcherError e -> ordered("error", e.error());
            case CommandNotRecorded e -> ordered("loop", e.loopId(), "pid", e.pid(), "error", e.error(),
                    "effect", "a crash during this command would leave it running");
            case LockReleaseFailed e -> ordered("error", e.error(), "effect", "none: the lock ends with the process");
            case Scheduled e -> e.event().fields();
            case NotificationFailed e -> ordered("target", e.target(), "notification", e.event(),
                    "delivery", e.delivery(), "attempts", e.attempts(), "error", e.error());
            case Cluster e -> ordered("detail", e.detail());
        };
    }

    /** The troubles, and storage turning unwritable, are warnings; the rest is information. */
    @Override
    default boolean warning() {
        return switch (this) {
            case StorageChanged e -> !e.writable();
            case LeftoverCommandsKilled e -> true;
            case AuditRepaired e -> true;
            case ScriptVerdictsNotSaved e -> true;
            case SubscriberFailed e -> true;
            case WatcherError e -> true;
            case CommandNotRecorded e -> true;
            case LockReleaseFailed e -> true;
            case Scheduled e -> e.event().warning();
            case NotificationFailed e -> true;
            case Cluster e -> e.trouble();
            case Started e -> false;
            case ApiWithoutToken e -> false;
            case ProcessContainment e -> false;
            case DrainStarted e -> false;
            case DrainCompleted e -> false;
            case Stopped e -> false;
        };
    }
}
