package dev.taskd.cli;

import dev.taskd.daemon.Daemon;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Entry point of the {@code taskd} command line; maps outcomes to the exit codes of {@link ExitCode}. */
public final class Main {

    /** The subcommands' names, in the order the usage lists them; {@link #subcommand} makes each. */
    private static final List<String> SUBCOMMANDS = List.of("start", "stop", "validate", "status", "run", "loops", "logs",
            "types", "reload", "rollback", "audit", "schedules", "notify", "schema", "completion", "help", "startup-training");

    private Main() {
    }

    public static void main(String[] args) {
        int fast = args.length == 1 && args[0].equals(StatusTraining.COMMAND) ? StatusTraining.run() : FastPath.run(args);
        if (fast != FastPath.NOT_HANDLED) {
            // Not System.exit: since JDK 21 it asks for a System.Logger to log the exit, which
            // looks for a LoggerFinder in every jar of the class path and sets up
            // java.util.logging, about 50 ms of a 'taskd status'. The fast path has flushed its
            // output, registered no shutdown hook and started no thread, so there is nothing
            // for an orderly exit to do.
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(fast);
        }
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
        if (SUBCOMMANDS.contains(first) && !first.equals("help")) {
            return configured(List.of(first));
        }
        return commandLine();
    }

    /**
     * The whole command tree, configured as {@link #configured} says. Not public: the launcher's
     * check of {@code main} resolves the types of Main's public methods, and this one's would load
     * picocli before the {@link FastPath} could skip it.
     */
    static CommandLine commandLine() {
        return configured(SUBCOMMANDS);
    }

    /** A new instance of the subcommand {@code name}, one of {@link #SUBCOMMANDS}. */
    private static Object subcommand(String name) {
        return switch (name) {
            case "start" -> new StartCommand();
            case "stop" -> new StopCommand();
            case "validate" -> new ValidateCommand();
            case "status" -> new StatusCommand();
            case "run" -> new RunCommand();
            case "loops" -> new LoopsCommand();
            case "logs" -> new LogsCommand();
            case "types" -> new TypesCommand();
            case "reload" -> new ReloadCommand();
            case "rollback" -> new RollbackCommand();
            case "audit" -> new AuditCommand();
            case "schema" -> new SchemaCommand();
            case "completion" -> new CompletionCommand();
            case "schedules" -> new SchedulesCommand();
            case "notify" -> new NotifyCommand();
            case "help" -> new CommandLine.HelpCommand();
            case "startup-training" -> new StartupTrainingCommand();
            default -> throw new IllegalArgumentException("no subcommand '" + name + "'");
        };
    }

    /**
     * The configured command line. Usage errors exit {@link ExitCode#USAGE} with the usage help;
     * no daemon at the URL exits {@link ExitCode#UNREACHABLE}; a refusal of the daemon or an
     * unexpected exception exits {@link ExitCode#FAILURE} with one line on stderr (the stack
     * trace only when {@code TASKD_DEBUG} is set), never a bare trace for an expected error.
     */
    private static CommandLine configured(List<String> subcommands) {
        CommandLine commandLine = new CommandLine(new TaskdCommand());
        for (String name : subcommands) {
            commandLine.addSubcommand(subcommand(name));
        }
        CommandSummaries.install(commandLine);
        commandLine.setExitCodeExceptionMapper(Main::exitCode);
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> report(exception, cmd.getErr()));
        return commandLine;
    }

    /**
     * A command's failure on {@code err}: one line (the stack trace only when {@code TASKD_DEBUG}
     * is set), and the exit code {@link #exitCode} gives it.
     */
    static int report(Exception exception, PrintWriter err) {
        String message = exception.getMessage();
        err.println("taskd: " + (message == null || message.isBlank() ? exception.toString() : message));
        if (System.getenv("TASKD_DEBUG") != null) {
            exception.printStackTrace(err);
        }
        err.flush();
        return exitCode(exception);
    }

    /**
     * The one mapping from an exception to an exit code: usage errors 2 — picocli's, and the
     * daemon's 400, a parameter it refused, which came from an option's value — no daemon 3 (its
     * message names the URL and how to start one), a stale plan (412) 4, everything else, the
     * daemon's other refusals included, 1.
     */
    static int exitCode(Throwable exception) {
        // The daemon's cases first: testing for picocli's exception loads picocli's classes.
        if (exception instanceof DaemonUnreachable) {
            return ExitCode.UNREACHABLE;
        }
        if (exception instanceof ApiError error && error.status() == 412) {
            return ExitCode.INVALID_CONFIG; // a stale plan or If-Match: rejected, like an invalid change
        }
        if (exception instanceof ApiError error && error.status() == 400) {
            return ExitCode.USAGE;
        }
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        return ExitCode.FAILURE;
    }
}
