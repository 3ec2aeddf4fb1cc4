package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    @Test
    void suggestsTheNearestNameForATypo() {
        assertThat(DidYouMean.closest("max-iteration", List.of("max-iterations", "iteration-timeout")))
                .contains("max-iterations");
        assertThat(DidYouMean.hint("daemn", List.of("daemon", "storage"))).isEqualTo("did you mean 'daemon'?");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(DidYouMean.closest("colour", List.of("max-loops", "listen"))).isEmpty();
        assertThat(DidYouMean.hint("x", List.of())).isEmpty();
    }
}
