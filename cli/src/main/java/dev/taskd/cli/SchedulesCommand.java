package dev.taskd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskd schedules}: the group of schedule commands. Run alone, it prints its usage and exits 2. */
@Command(name = "schedules",
        mixinStandardHelpOptions = true,
        description = {"List the schedules ([schedules.NAME] in taskd.toml) and when they fire next.", ""},
        subcommands = {SchedulesListCommand.class})
final class SchedulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("taskd schedules: a command is needed (list)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
