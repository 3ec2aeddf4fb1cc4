package dev.taskd.script;

import dev.taskd.loop.Cancellation;
import dev.taskd.loop.CommandRequest;
import dev.taskd.loop.CommandResult;
import dev.taskd.loop.Commands;
import dev.taskd.loop.Limiter;
import dev.taskd.loop.ShellCommands;
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
