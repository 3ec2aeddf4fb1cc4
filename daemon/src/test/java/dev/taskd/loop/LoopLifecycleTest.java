package dev.taskd.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.store.LoopState;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopLifecycleTest {

    private static final List<Ending> ENDINGS = List.of(new Ending.Succeeded("done"), new Ending.Failed("why"),
            new Ending.Cancelled(), new Ending.Paused(), new Ending.Interrupted(), new Ending.Drained(),
            new Ending.Blocked("t", "loop type 't' does not exist"), new Ending.AwaitingApproval("ok"),
            new Ending.Stalled(3));

    @Test
    void aLoopThatEndedForGoodMovesOnlyBackToTheQueueByARetryAndASuccessMovesNowhere() {
        Arrays.stream(LoopState.values()).filter(LoopState::terminal)
                .forEach(state -> assertThat(LoopLifecycle.next(state)).as(state.name())
                        .isEqualTo(state == LoopState.SUCCEEDED ? Set.of() : Set.of(LoopState.QUEUED)));
    }

    @Test
    void aLoopAwaitingApprovalSucceedsGoesBackToTheQueueOrIsCancelled() {
        assertThat(LoopLifecycle.next(LoopState.AWAITING_APPROVAL))
                .containsExactlyInAnyOrder(LoopState.SUCCEEDED, LoopState.QUEUED, LoopState.CANCELLED);
        assertThat(new Ending.AwaitingApproval(null).reason()).isEqualTo(Ending.AWAITING_REASON);
        assertThat(new Ending.Stalled(4).reason()).isEqualTo("no progress in 4 iterations");
        assertThat(new Ending.Stalled(4).state()).isEqualTo(LoopState.PAUSED);
    }

    @Test
    void everyEndingIsAMoveARunningLoopMayMake() {
        for (Ending ending : ENDINGS) {
            assertThat(LoopLifecycle.allowed(LoopState.RUNNING, ending.state())).as(ending.toString()).isTrue();
        }
    }

    @Test
    void onlyAQueuedLoopStartsRunning() {
        for (LoopState from : LoopState.values()) {
            assertThat(LoopLifecycle.allowed(from, LoopState.RUNNING)).as(from.name())
                    .isEqualTo(from == LoopState.QUEUED);
        }
    }

    @Test
    void everyRequestButNoneStopsTheLoopBetweenIterations() {
        for (LoopControl.Request request : LoopControl.Request.values()) {
            assertThat(Ending.requested(request).isPresent()).as(request.name())
                    .isEqualTo(request != LoopControl.Request.NONE);
        }
    }

    @Test
    void aTimedOutIterationLetsTheLoopGoOnAndEveryOtherStopEndsIt() {
        for (Cancellation.Reason reason : Cancellation.Reason.values()) {
            assertThat(Ending.stopped(reason).isPresent()).as(reason.name())
                    .isEqualTo(reason != Cancellation.Reason.TIMED_OUT);
        }
    }

    @Test
    void theReasonsShownForStopsAreTheOnesTheStoreHasAlwaysKept() {
        assertThat(new Ending.Cancelled().reason()).isEqualTo("cancelled");
        assertThat(new Ending.Paused().reason()).isEqualTo("paused");
        assertThat(new Ending.Interrupted().reason()).isEqualTo("interrupted; resumes at its next iteration");
        assertThat(new Ending.Drained().reason()).isEqualTo("the daemon stopped; resumes on the next start");
        assertThat(new Ending.Interrupted().state()).isEqualTo(LoopState.QUEUED);
    }
}
