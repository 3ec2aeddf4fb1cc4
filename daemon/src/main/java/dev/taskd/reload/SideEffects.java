package dev.taskd.reload;

import dev.taskd.loop.Generation;
import java.util.List;

/**
 * The side effects of a reload, applied in order after the swap and undone in reverse when one
 * fails or the reload cannot be recorded. Immutable; called under the reload lock.
 */
final class SideEffects {

    private final List<SideEffect> effects;

    SideEffects(List<SideEffect> effects) {
        this.effects = List.copyOf(effects);
    }

    /**
     * Applies every effect for the move from {@code before} to {@code after}.
     *
     * @throws Failure naming the effect that failed, after undoing those applied before it
     */
    void apply(Generation before, Generation after) throws Failure {
        int applied = 0;
        try {
            for (SideEffect effect : effects) {
                effect.apply(before, after);
                applied++;
            }
        } catch (Exception e) {
            String error = effects.get(applied).name() + ": " + e.getMessage();
            throw new Failure(error, undo(before, after, applied, e), e);
        }
    }

    /** Undoes all of them, for a reload that could not be recorded; what fails is added to {@code failure}. */
    void undoAll(Generation before, Generation after, Exception failure) {
        undo(before, after, effects.size(), failure);
    }

    private boolean undo(Generation before, Generation after, int applied, Exception failure) {
        boolean undone = true;
        for (int i = applied - 1; i >= 0; i--) {
            try {
                effects.get(i).undo(before, after);
            } catch (Exception e) {
                failure.addSuppressed(e);
                undone = false;
            }
        }
        return undone;
    }

    /** An effect failed: {@code error} names it; {@code undone} says whether the others were undone. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String error;
        final boolean undone;

        Failure(String error, boolean undone, Exception cause) {
            super(error, cause);
            this.error = error;
            this.undone = undone;
        }
    }
}
