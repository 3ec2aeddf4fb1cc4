package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PlanExpectationTest {

    private static final PlanExpectation PLAN = new PlanExpectation(OptionalLong.of(7), "h1",
            Map.of("taskd.toml", "a", "loop-types/ralph.toml", "b", "templates/old.mustache", "c"));

    @Test
    void anotherGenerationInForceNamesBoth() {
        assertThatThrownBy(() -> PLAN.checkBase(8)).isInstanceOf(PreconditionFailedException.class)
                .hasMessage("the running generation is 8, the plan was made against 7");
        assertThatCode(() -> PLAN.checkBase(7)).doesNotThrowAnyException();
        assertThatCode(() -> PlanExpectation.NONE.checkBase(99)).doesNotThrowAnyException();
    }

    @Test
    void movedFilesAreNamedChangedAddedOrRemoved() {
        assertThatThrownBy(() -> PLAN.checkCandidate("h2", Map.of("taskd.toml", "a", "loop-types/ralph.toml", "B",
                "templates/new.mustache", "d")))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessage("loop-types/ralph.toml changed since the plan was made; templates/old.mustache was removed"
                        + " since the plan was made; templates/new.mustache was added since the plan was made;"
                        + " make a new plan");
    }

    @Test
    void theSameCandidatePassesAndSourcesThatNoLongerLoadSaySo() {
        assertThatCode(() -> PLAN.checkCandidate("h1", Map.of())).doesNotThrowAnyException();
        assertThatThrownBy(() -> PLAN.checkCandidate("", Map.of()))
                .hasMessage("the files no longer load as they did when the plan was made; make a new plan");
    }
}
