package dev.taskd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskd notify}: the group of notification commands. Run alone, it prints its usage and exits 2. */
@Command(name = "notify",
        mixinStandardHelpOptions = true,
        description = {"Show what the webhooks ([notify.NAME] in taskd.toml) were sent.", ""},
        subcommands = {NotifyLogCommand.class})
final class NotifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("taskd notify: a command is needed (log)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
