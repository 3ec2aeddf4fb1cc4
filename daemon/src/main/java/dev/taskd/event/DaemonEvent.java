package dev.taskd.event;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
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
        public String name() {
            return "daemon_started";
        }

        public Map<String, Object> fields() {
            return ordered("commands", commands, "version", version, "host", host, "port", port,
                    "generation", generation, "data_dir", dataDir, "resumed", resumed);
        }
    }

    /** The API listens on {@code listen} without a token. */
    record ApiWithoutToken(String listen) implements DaemonEvent {
        public String name() {
            return "api_without_token";
        }

        public Map<String, Object> fields() {
            return ordered("listen", listen, "note",
                    "no API token configured; the admin API is reachable from this machine only");
        }
    }

    /** How commands are kept apart (process groups, cgroups), when the spawner has something to say. */
    record ProcessContainment(String note) implements DaemonEvent {
        public String name() {
            return "process_containment";
        }

        public Map<String, Object> fields() {
            return ordered("note", note);
        }
    }

    record DrainStarted(String cause, int running, int queued, Duration timeout) implements DaemonEvent {
        public String name() {
            return "drain_started";
        }

        public Map<String, Object> fields() {
            return ordered("cause", cause, "running", running, "queued", queued, "drain_timeout_ms",
                    timeout.toMillis());
        }
    }

    record DrainCompleted(int finished, int interrupted, Duration took) implements DaemonEvent {
        public String name() {
            return "drain_completed";
        }

        public Map<String, Object> fields() {
            return ordered("finished", finished, "interrupted", interrupted, "duration_ms", took.toMillis());
        }
    }

    record Stopped() implements DaemonEvent {
        public String name() {
            return "daemon_stopped";
        }

        public Map<String, Object> fields() {
            return Map.of();
        }
    }

    /** The data dir became writable again, or (a warning, with the {@code error}) unwritable. */
    record StorageChanged(String dataDir, long freeBytes, boolean writable, String error) implements DaemonEvent {
        public String name() {
            return writable ? "storage_writable" : "storage_unwritable";
        }

        public Map<String, Object> fields() {
            return writable ? ordered("data_dir", dataDir, "free_bytes", freeBytes)
                    : ordered("data_dir", dataDir, "free_bytes", freeBytes, "error", error);
        }

        public boolean warning() {
            return !writable;
        }
    }

    /** A crash left commands running; the start killed {@code count} of them before resuming their loops. */
    record LeftoverCommandsKilled(int count) implements DaemonEvent {
        public String name() {
            return "leftover_commands_killed";
        }

        public Map<String, Object> fields() {
            return ordered("count", count, "cause", "the previous daemon stopped without draining");
        }

        public boolean warning() {
            return true;
        }
    }

    /** The audit log's torn last line was repaired, as {@code detail} says. */
    record AuditRepaired(String detail) implements DaemonEvent {
        public String name() {
            return "audit_repaired";
        }

        public Map<String, Object> fields() {
            return ordered("detail", detail);
        }

        public boolean warning() {
            return true;
        }
    }

    record ScriptVerdictsNotSaved(String error) implements DaemonEvent {
        public String name() {
            return "script_verdicts_not_saved";
        }

        public Map<String, Object> fields() {
            return ordered("error", error, "effect", "the next start checks every script again");
        }

        public boolean warning() {
            return true;
        }
    }

    /** A reload subscriber threw or fell behind. */
    record SubscriberFailed(String subscriber, String error) implements DaemonEvent {
        public String name() {
            return "subscriber_failed";
        }

        public Map<String, Object> fields() {
            return ordered("subscriber", subscriber, "error", error);
        }

        public boolean warning() {
            return true;
        }
    }

    record WatcherError(String error) implements DaemonEvent {
        public String name() {
            return "watcher_error";
        }

        public Map<String, Object> fields() {
            return ordered("error", error);
        }

        public boolean warning() {
            return true;
        }
    }

    /** A running command could not be recorded, so a crash now would leave it behind. */
    record CommandNotRecorded(String loopId, long pid, String error) implements DaemonEvent {
        public String name() {
            return "command_not_recorded";
        }

        public Map<String, Object> fields() {
            return ordered("loop", loopId, "pid", pid, "error", error, "effect",
                    "a crash during this command would leave it running");
        }

        public boolean warning() {
            return true;
        }
    }

    record LockReleaseFailed(String error) implements DaemonEvent {
        public String name() {
            return "lock_release_failed";
        }

        public Map<String, Object> fields() {
            return ordered("error", error, "effect", "none: the lock ends with the process");
        }

        public boolean warning() {
            return true;
        }
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }
}
