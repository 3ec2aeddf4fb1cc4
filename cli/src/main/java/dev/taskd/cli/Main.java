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
     * an unexpected exception exits {@link ExitCode#FAILURE} with one line on stderr (the stack
     * trace only when {@code TASKD_DEBUG} is set), never a bare trace for an expected error.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TaskdCommand());
        commandLine.setExitCodeExceptionMapper(exception ->
                exception instanceof CommandLine.ParameterException ? ExitCode.USAGE : ExitCode.FAILURE);
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            cmd.getErr().println("taskd: " + exception.getMessage());
            if (System.getenv("TASKD_DEBUG") != null) {
                exception.printStackTrace(cmd.getErr());
            }
            return ExitCode.FAILURE;
        });
        return commandLine;
    }
}
