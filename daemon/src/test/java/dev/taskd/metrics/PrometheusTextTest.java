package dev.taskd.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The checker the metrics tests rely on must refuse what Prometheus refuses, or they prove nothing. */
class PrometheusTextTest {

    @Test
    void readsAWellFormedExposition() {
        String text = """
                # HELP jobs_total Jobs.
                # TYPE jobs_total counter
                jobs_total{kind="a\\"b",zone="x"} 3.0
                # TYPE took_seconds histogram
                took_seconds_bucket{le="1.0"} 1
                took_seconds_bucket{le="+Inf"} 2
                took_seconds_count 2
                took_seconds_sum 4.5
                """;

        assertThat(PrometheusText.parse(text)).containsExactly(
                entry("jobs_total{kind=\"a\\\"b\",zone=\"x\"}", 3.0),
                entry("took_seconds_bucket{le=\"1.0\"}", 1.0),
                entry("took_seconds_bucket{le=\"+Inf\"}", 2.0),
                entry("took_seconds_count{}", 2.0),
                entry("took_seconds_sum{}", 4.5));
    }

    @Test
    void refusesASampleBeforeItsType() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("jobs_total 1\n"))
                .withMessageContaining("line 1");
    }

    @Test
    void refusesAnUnquotedLabelValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse(
                "# TYPE jobs_total counter\njobs_total{kind=a} 1\n")).withMessageContaining("line 2");
    }

    @Test
    void refusesAValueThatIsNotANumber() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse(
                "# TYPE up gauge\nup one\n")).withMessageContaining("not a number");
    }

    @Test
    void refusesBucketsThatAreNotCumulativeOrDisagreeWithTheCount() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("""
                # TYPE t histogram
                t_bucket{le="1.0"} 2
                t_bucket{le="+Inf"} 1
                t_count 1
                t_sum 1
                """)).withMessageContaining("not cumulative");
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse("""
                # TYPE t histogram
                t_bucket{le="+Inf"} 2
                t_count 3
                t_sum 1
                """)).withMessageContaining("+Inf bucket");
    }

    @Test
    void refusesAFamilyTypedTwiceAndADuplicateSeries() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse(
                "# TYPE up gauge\n# TYPE up gauge\n")).withMessageContaining("typed twice");
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parse(
                "# TYPE up gauge\nup 1\nup 2\n")).withMessageContaining("duplicate");
    }
}
