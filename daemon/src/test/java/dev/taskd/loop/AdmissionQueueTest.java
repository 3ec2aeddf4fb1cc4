package dev.taskd.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

    private static Scheduler.Queued queued(String id, int priority, String... after) {
        return new Scheduler.Queued(id, "t", priority, List.of(after));
    }

    private static List<String> candidateIds(AdmissionQueue queue) {
        List<String> ids = new ArrayList<>();
        queue.candidates().forEachRemaining(q -> ids.add(q.id()));
        return ids;
    }

    @Test
    void candidatesComeByPriorityThenAge() {
        AdmissionQueue queue = new AdmissionQueue();
        queue.add(queued("02", 0));
        queue.add(queued("01", 0));
        queue.add(queued("03", 5));
        assertThat(candidateIds(queue)).containsExactly("03", "01", "02");
    }

    @Test
    void aParkedLoopIsNoCandidateButStaysQueuedUntilItsDependencyIsReleased() {
        AdmissionQueue queue = new AdmissionQueue();
        Scheduler.Queued waiting = queued("02", 0, "01");
        queue.add(waiting);
        queue.park(waiting, "01");
        assertThat(candidateIds(queue)).isEmpty();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.all()).containsExactly(waiting);
        assertThat(queue.awaitedDependencies()).containsExactly("01");

        assertThat(queue.release("other")).isZero();
        assertThat(queue.release("01")).isEqualTo(1);
        assertThat(candidateIds(queue)).containsExactly("02");
        assertThat(queue.parked()).isEmpty();
        assertThat(queue.awaitedDependencies()).isEmpty();
    }

    @Test
    void removingFindsALoopWhetherCandidateOrParked() {
        AdmissionQueue queue = new AdmissionQueue();
        Scheduler.Queued parked = queued("02", 0, "09");
        queue.add(queued("01", 0));
        queue.add(parked);
        queue.park(parked, "09");
        assertThat(queue.remove("02")).isTrue();
        assertThat(queue.awaitedDependencies()).as("nobody waits for 09 any more").isEmpty();
        assertThat(queue.remove("02")).isFalse();
        assertThat(queue.remove("01")).isTrue();
        assertThat(queue.size()).isZero();
    }

    @Test
    void removeWhereTakesMatchingLoopsFromBothParts() {
        AdmissionQueue queue = new AdmissionQueue();
        Scheduler.Queued parked = new Scheduler.Queued("02", "gone", 0, List.of("09"));
        queue.add(new Scheduler.Queued("01", "gone", 0, List.of()));
        queue.add(parked);
        queue.add(queued("03", 0));
        queue.park(parked, "09");
        assertThat(queue.removeWhere(q -> q.type().equals("gone"))).containsExactlyInAnyOrder("01", "02");
        assertThat(queue.all()).extracting(Scheduler.Queued::id).containsExactly("03");
    }

    @Test
    void theIteratorsRemoveTakesTheLoopOutOfTheQueue() {
        AdmissionQueue queue = new AdmissionQueue();
        queue.add(queued("01", 0));
        Iterator<Scheduler.Queued> it = queue.candidates();
        it.next();
        it.remove();
        assertThat(queue.size()).isZero();
        queue.add(queued("01", 0));
        assertThat(queue.size()).as("the same id can be queued again after it left").isEqualTo(1);
    }

    @Test
    void aQueuedLoopWaitsBehindTheCandidatesAheadOrForTheLoopItIsParkedOn() {
        AdmissionQueue queue = new AdmissionQueue();
        Scheduler.Queued parked = queued("04", 9, "01");
        queue.add(queued("01", 0));
        queue.add(queued("02", 0));
        queue.add(queued("03", 5));
        queue.add(parked);
        queue.park(parked, "01");
        assertThat(queue.waiting("03")).contains(new Waiting.Queued(0));
        assertThat(queue.waiting("02")).as("behind 03 (higher priority) and 01 (older)").contains(new Waiting.Queued(2));
        assertThat(queue.waiting("04")).contains(new Waiting.After("01"));
        assertThat(queue.waiting("05")).as("not queued").isEmpty();
    }
}
