package dev.taskd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskd loops}: the group of loop commands. Run alone, it prints its usage and exits 2. */
@Command(name = "loops",
        mixinStandardHelpOptions = true,
        description = {"List, show, cancel, pause, resume, retry, approve and reject loops. A loop ID may be a",
            "unique prefix.", ""},
        subcommands = {LoopsListCommand.class, LoopsShowCommand.class, LoopsCancelCommand.class,
            LoopsPauseCommand.class, LoopsResumeCommand.class, LoopsRetryCommand.class, LoopsApproveCommand.class,
            LoopsRejectCommand.class})
final class LoopsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("taskd loops: a command is needed (list, show, cancel, pause, resume, retry,"
                + " approve, reject)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
