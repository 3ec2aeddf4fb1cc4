package dev.taskd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskd types}: the group of loop type commands. Run alone, it prints its usage and exits 2. */
@Command(name = "types",
        mixinStandardHelpOptions = true,
        description = {"List and show the loop types the daemon has loaded.", ""},
        subcommands = {TypesListCommand.class, TypesShowCommand.class})
final class TypesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("taskd types: a command is needed (list, show)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
