package dev.taskd.reload;

/**
 * Told when a reload or rollback begins and ends, whatever its result, on the reloading thread
 * and under the reload lock: for a supervisor that shows the service as reloading (systemd's
 * {@code RELOADING=1}). Plans that apply nothing (dry runs, manual mode's pending plan) are not
 * reloads. Must not block or throw.
 */
public interface ReloadPhases {

    ReloadPhases NONE = new ReloadPhases() {
        @Override
        public void started() {
        }

        @Override
        public void ended() {
        }
    };

    void started();

    void ended();
}
