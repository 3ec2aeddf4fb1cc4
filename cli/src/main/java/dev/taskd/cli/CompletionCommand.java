package dev.taskd.cli;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taskd completion bash|zsh}: the shell completion script picocli generates from the whole
 * command tree, so it knows every command and option without a list kept by hand. The one script
 * serves both shells: in zsh it loads {@code bashcompinit} itself.
 */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print the shell completion script for bash or zsh.",
            "Install it with",
            "  source <(taskd completion bash)      in ~/.bashrc, or",
            "  source <(taskd completion zsh)       in ~/.zshrc.",
            ""
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    Shell shell;

    enum Shell { bash, zsh }

    /** The shells, for the usage and for completion of this command itself. */
    static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh").iterator();
        }
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("taskd", Main.commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
