package dev.taskd.cli;

/** No daemon answered at the URL tried; {@link Main} maps it to {@link ExitCode#UNREACHABLE}. */
final class DaemonUnreachable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DaemonUnreachable(String url, String reason, Throwable cause) {
        super("no daemon answered at " + url + ": " + reason + "; start one with './taskd start' or pass --url", cause);
    }
}
