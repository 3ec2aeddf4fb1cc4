package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.ConfigDiff;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.Finding;
import dev.taskd.config.LoadCache;
import dev.taskd.config.LoadResult;
import dev.taskd.config.ScriptValidator;
import dev.taskd.config.SourceTree;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEffect;
import dev.taskd.loop.LoopEngine;
import dev.taskd.template.Renderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps 1–5 of a reload — read, parse, diff, classify, validate, build — shared by the dry run
 * and the real reload, so that their verdicts agree. Changes nothing.
 */
final class Preparation {

    /** What the steps found. */
    sealed interface Outcome {
    }

    record Invalid(List<Finding> findings) implements Outcome {
    }

    record Unchanged() implements Outcome {
    }

    record Unsafe(ConfigSnapshot next, ConfigDiff diff, List<Change> restartOnly) implements Outcome {
    }

    /** Ready to swap in: the candidate generation, its diff, what it does to loops, warnings. */
    record Ready(Generation candidate, ConfigDiff diff, List<LoopEffect> effects, List<String> warnings)
            implements Outcome {

        /** The same candidate under the number the cluster gave its content. */
        Ready numbered(long number) {
            return number == candidate.number() ? this : new Ready(new Generation(number, candidate.snapshot(),
                    candidate.renderer()), diff, effects, warnings);
        }
    }

    private Preparation() {
    }

    /** @param number the number the candidate generation gets (see {@link GenerationHistory#nextNumber}) */
    static Outcome prepare(Path configFile, Path displayBase, ScriptValidator scripts, LoadCache cache, SourceTree tree,
                           Generation current, long number, LoopEngine engine) {
        LoadResult loaded = new ConfigLoader(displayBase, scripts, tree, cache).load(configFile);
        if (loaded.snapshot().isEmpty()) {
            return new Invalid(loaded.findings());
        }
        ConfigSnapshot next = loaded.snapshot().get();
        if (next.sameAs(current.snapshot())) {
            return new Unchanged();
        }
        ConfigDiff diff = ConfigDiff.between(current.snapshot(), next);
        if (!diff.restartOnly().isEmpty()) {
            return new Unsafe(next, diff, diff.restartOnly());
        }
        Generation candidate = new Generation(number, next, new Renderer(next.templates()));
        List<LoopEffect> effects = engine.effectsOf(candidate);
        List<String> warnings = new ArrayList<>();
        loaded.findings().forEach(finding -> warnings.add(finding.toString()));
        effects.stream().filter(effect -> effect.effect() == LoopEffect.Effect.KEPT)
                .forEach(effect -> warnings.add("loop " + effect.loopId() + " " + effect.detail()));
        return new Ready(candidate, diff, effects, warnings);
    }
}
