package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The workload the launcher records the cache of 'taskd status' from must run the whole path, or the cache misses it. */
class StatusTrainingTest {

    @Test
    void statusTrainingPrintsTextAndJsonOverBothFramingsAndMeetsAClosedPort() {
        assertThat(StatusTraining.run()).isEqualTo(ExitCode.OK);
    }
}
