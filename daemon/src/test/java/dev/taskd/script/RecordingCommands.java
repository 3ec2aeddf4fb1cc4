package dev.taskd.script;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Limiter;
import dev.taskd.process.CommandRequest;
import dev.taskd.process.CommandResult;
import dev.taskd.process.Commands;
import dev.taskd.process.ShellCommands;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real command runner, remembering each request so tests can check what a script asked for. */
final class RecordingCommands implements Commands {

    final List<CommandRequest> requests = new CopyOnWriteArrayList<>();
    private final Commands real = new ShellCommands(new Limiter(() -> 8));

    @Override
    public CommandResult run(CommandRequest request, Cancellation cancellation) throws InterruptedException {
        requests.add(request);
        return real.run(request, cancellation);
    }
}
