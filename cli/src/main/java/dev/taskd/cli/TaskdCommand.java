package dev.taskd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code taskd}: the top of the command tree. Run alone, it prints its usage and exits 2. Its
 * subcommands are added by {@link Main}, which builds only the one a command line invokes.
 */
@Command(name = "taskd",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs loops that iterate until a validation passes, with hot-reloaded loop types,",
            "templates and limits.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  ok            1  failure          2  usage error",
            "  3  no daemon answered                4  invalid config or rejected reload",
            "",
            "Run 'taskd help COMMAND' for a command's options."
        })
public final class TaskdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("taskd: a command is needed");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
