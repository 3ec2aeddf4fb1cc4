package dev.taskd.cli;

import dev.taskd.daemon.Daemon;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point of the {@code taskd} command line; maps outcomes to the exit codes of {@link ExitCode}. */
public final class Main {

    /** The subcommands by name, in the order the usage lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("start", StartCommand::new);
        SUBCOMMANDS.put("stop", StopCommand::new);
        SUBCOMMANDS.put("validate", ValidateCommand::new);
        SUBCOMMANDS.put("status", StatusCommand::new);
        SUBCOMMANDS.put("run", RunCommand::new);
        SUBCOMMANDS.put("loops", LoopsCommand::new);
        SUBCOMMANDS.put("types", TypesCommand::new);
        SUBCOMMANDS.put("reload", ReloadCommand::new);
        SUBCOMMANDS.put("rollback", RollbackCommand::new);
        SUBCOMMANDS.put("audit", AuditCommand::new);
        // A lambda, not CommandLine.HelpCommand::new: the JDK's AOT cache does not keep picocli's
        // old classes, and writing one crashed on a method reference that resolved to one.
        SUBCOMMANDS.put("help", () -> new CommandLine.HelpCommand());
        SUBCOMMANDS.put("startup-training", StartupTrainingCommand::new);
    }

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("start")) {
            // Begin the daemon's slow first uses now, so they overlap building the command line.
            Daemon.warmUp();
        }
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, only that
     * subcommand is built. picocli reflects over every command it is given, and its classes
     * (Java 5 bytecode) are verified at run time and cannot be kept in the start-up cache, so
     * building the whole tree cost every command about 0.15 s. Anything else (no command,
     * {@code help}, a typo that deserves a suggestion, {@code --help}) gets the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        String first = args.length == 0 ? "" : args[0];
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            return configured(Map.of(first, SUBCOMMANDS.get(first)));
        }
        return commandLine();
    }

    /** The whole command tree, configured as {@link #configured} says. */
    public static CommandLine commandLine() {
        return configured(SUBCOMMANDS);
    }

    /**
     * The configured command line. Usage errors exit {@link ExitCode#USAGE} with the usage help;
     * no daemon at the URL exits {@link ExitCode#UNREACHABLE}; a refusal of the daemon or an
     * unexpected exception exits {@link ExitCode#FAILURE} with one line on stderr (the stack
     * trace only when {@code TASKD_DEBUG} is set), never a bare trace for an expected error.
     */
    private static CommandLine configured(Map<String, Supplier<Object>> subcommands) {
        CommandLine commandLine = new CommandLine(new TaskdCommand());
        subcommands.values().forEach(subcommand -> commandLine.addSubcommand(subcommand.get()));
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
     * names the URL and how to start one), a stale plan (412) 4, everything else, the daemon's other
     * refusals included, 1.
     */
    static int exitCode(Throwable exception) {
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        if (exception instanceof DaemonUnreachable) {
            return ExitCode.UNREACHABLE;
        }
        if (exception instanceof ApiError error && error.status() == 412) {
            return ExitCode.INVALID_CONFIG; // a stale plan or If-Match: rejected, like an invalid change
        }
        return ExitCode.FAILURE;
    }
}
