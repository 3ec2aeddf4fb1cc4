package dev.taskd.cli;

/** The exit codes of every taskd command, in one table (the README lists the same). */
public final class ExitCode {

    /** Done as asked. */
    public static final int OK = 0;
    /** Something went wrong that is not one of the cases below. */
    public static final int FAILURE = 1;
    /**
     * The command line itself is wrong: unknown command or option, missing argument, a value an
     * option does not take (whether the command or the daemon, with a 400, finds it).
     */
    public static final int USAGE = 2;
    /** No daemon answered at the address tried. */
    public static final int UNREACHABLE = 3;
    /** The configuration is invalid, or a reload was rejected. */
    public static final int INVALID_CONFIG = 4;

    private ExitCode() {
    }
}
