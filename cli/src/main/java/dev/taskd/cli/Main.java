package dev.taskd.cli;

import picocli.CommandLine;

/** Entry point of the {@code taskd} command line; maps outcomes to the exit codes of {@link ExitCode}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line. Usage errors exit {@link ExitCode#USAGE} with the usage help;
     * no daemon at the URL exits {@link ExitCode#UNREACHABLE}; a refusal of the daemon or an
     * unexpected exception exits {@link ExitCode#FAILURE} with one line on stderr (the stack
     * trace only when {@code TASKD_DEBUG} is set), never a bare trace for an expected error.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TaskdCommand());
        commandLine.setExitCodeExceptionMapper(Main::exitCode);
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            String message = exception.getMessage();
            cmd.getErr().println("taskd: " + (message == null || message.isBlank() ? exception.toString() : message));
            if (System.getenv("TASKD_DEBUG") != null) {
                exception.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return exitCode(exception);
        });
        return commandLine;
    }

    /**
     * The one mapping from an exception to an exit code: usage errors 2, no daemon 3 (its message
     * names the URL and how to start one), everything else, the daemon's refusals included, 1.
     */
    static int exitCode(Throwable exception) {
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        if (exception instanceof DaemonUnreachable) {
            return ExitCode.UNREACHABLE;
        }
        return ExitCode.FAILURE;
    }
}
