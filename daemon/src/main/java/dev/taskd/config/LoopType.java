package dev.taskd.config;

import dev.taskd.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A loop type with {@code extends} resolved and defaults applied. Immutable.
 *
 * @param version content hash of every source this type is made of: its TOML and those it
 *                extends, its script, and every template it renders (partials included)
 * @param sources those sources, in the order the version hashes them
 */
public record LoopType(String name, String description, boolean isAbstract, Action action, Prompt prompt,
                       List<Input> inputs, int maxIterations, Duration iterationTimeout, Duration delay,
                       Backoff backoff, Duration maxDelay, OnReload onReload, Isolation isolation, long maxTokens,
                       Optional<Validation> validation, String version, List<SourceFile> sources, Gates gates) {

    public LoopType {
        inputs = List.copyOf(inputs);
        sources = List.copyOf(sources);
    }

    /** What an iteration does. */
    public sealed interface Action {
    }

    /** A JavaScript module exporting {@code iterate(ctx)}. */
    public record Script(SourceFile source) implements Action {
    }

    /** A shell command line, rendered from the template syntax before it runs. */
    public record Command(String commandLine) implements Action {
    }

    /** An abstract type's missing action. */
    public record NoAction() implements Action {
    }

    /** Where the iteration's prompt comes from. */
    public sealed interface Prompt {
    }

    public record TemplateRef(String templateName) implements Prompt {
    }

    public record Inline(String text) implements Prompt {
    }

    public record NoPrompt() implements Prompt {
    }

    /** @param defaultValue null when the input is required */
    public record Input(String name, String defaultValue, String description) {
        public boolean required() {
            return defaultValue == null;
        }
    }

    public record Validation(String command, List<Integer> successExitCodes, Duration timeout) {
        public Validation {
            successExitCodes = List.copyOf(successExitCodes);
        }
    }

    /**
     * What stops or holds a loop besides its iterations and tokens.
     *
     * @param maxCost    cost budget over all the loop's runs, at the configured prices; 0: none
     * @param stallAfter pause after this many unchanged iterations in a row; 0: never
     */
    public record Gates(Approval approval, double maxCost, int stallAfter) {
        public static final Gates NONE = new Gates(Approval.NONE, 0, 0);
    }

    public enum Approval { NONE, BEFORE_SUCCESS }

    public enum Backoff { FIXED, EXPONENTIAL }

    public enum OnReload { PIN, NEXT_ITERATION }

    public enum Isolation { NONE, GIT_WORKTREE }

    public Optional<Input> input(String inputName) {
        return inputs.stream().filter(input -> input.name().equals(inputName)).findFirst();
    }
}
