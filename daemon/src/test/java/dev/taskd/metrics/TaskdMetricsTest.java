package dev.taskd.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.taskd.reload.ReloadEvent;
import dev.taskd.reload.ReloadResult;
import dev.taskd.reload.ReloadTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TaskdMetricsTest {

    private static final ReloadResult APPLIED = new ReloadResult.Applied(List.of(), List.of());
    private static final ReloadResult UNCHANGED = new ReloadResult.Unchanged();
    private static final ReloadResult FAILED = new ReloadResult.Failed("boom", true);
    private static final ReloadResult REJECTED = new ReloadResult.Rejected("daemon.listen changed", List.of(), List.of());

    private final AtomicLong generation = new AtomicLong(1);
    private final AtomicReference<Map<String, Long>> loops = new AtomicReference<>(Map.of("queued", 0L));
    private final AtomicInteger queue = new AtomicInteger();
    private final AtomicInteger processes = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final TaskdMetrics metrics = new TaskdMetrics(new MetricSources(generation::get, loops::get, queue::get,
            processes::get, draining::get));

    @Test
    void reloadsAreCountedByResultWithTheirDuration() {
        metrics.reload(APPLIED, Duration.ofMillis(20));
        metrics.reload(APPLIED, Duration.ofMillis(30));
        metrics.reload(REJECTED, Duration.ofMillis(2));
        metrics.reload(UNCHANGED, Duration.ofMillis(1));

        String text = metrics.scrape();

        assertThat(text).contains("taskd_reloads_total{result=\"applied\"} 2.0\n");
        assertThat(PrometheusText.parse(text)).contains(
                entry("taskd_reloads_total{result=\"applied\"}", 2.0),
                entry("taskd_reloads_total{result=\"rejected\"}", 1.0),
                entry("taskd_reloads_total{result=\"unchanged\"}", 1.0),
                entry("taskd_reloads_total{result=\"failed\"}", 0.0),
                entry("taskd_reload_duration_seconds_count{}", 4.0),
                entry("taskd_reload_duration_seconds_bucket{le=\"0.025\"}", 3.0),
                entry("taskd_reload_duration_seconds_bucket{le=\"+Inf\"}", 4.0));
        assertThat(PrometheusText.parse(text).get("taskd_reload_duration_seconds_sum{}")).isCloseTo(0.053, within(1e-9));
    }

    @Test
    void everyReloadResultIsExposedAtZeroBeforeTheFirstReload() {
        assertThat(PrometheusText.parse(metrics.scrape())).contains(
                entry("taskd_reloads_total{result=\"applied\"}", 0.0),
                entry("taskd_reloads_total{result=\"unchanged\"}", 0.0),
                entry("taskd_reloads_total{result=\"failed\"}", 0.0),
                entry("taskd_reloads_total{result=\"rejected\"}", 0.0));
        // The list of labels is written out; this keeps it equal to the sealed set.
        assertThat(ReloadResult.class.getPermittedSubclasses()).hasSameSizeAs(TaskdMetrics.RELOAD_RESULTS);
        assertThat(List.of(APPLIED, UNCHANGED, FAILED, REJECTED)).extracting(ReloadResult::label)
                .containsExactlyInAnyOrderElementsOf(TaskdMetrics.RELOAD_RESULTS);
    }

    @Test
    void lastReloadSuccessDropsOnARejectionAndReturnsToOneAfterASuccess() {
        assertThat(lastReloadSuccess()).isEqualTo(1.0);
        metrics.reload(APPLIED, Duration.ofMillis(5));
        assertThat(lastReloadSuccess()).isEqualTo(1.0);
        metrics.reload(REJECTED, Duration.ofMillis(5));
        assertThat(lastReloadSuccess()).isEqualTo(0.0);
        metrics.reload(APPLIED, Duration.ofMillis(5));
        assertThat(lastReloadSuccess()).isEqualTo(1.0);
        metrics.reload(FAILED, Duration.ofMillis(5));
        assertThat(lastReloadSuccess()).isEqualTo(0.0);
        metrics.reload(UNCHANGED, Duration.ofMillis(5));
        assertThat(lastReloadSuccess()).isEqualTo(1.0);
    }

    @Test
    void aReloadEventFromTheSubscribersIsCountedLikeAReload() {
        metrics.accept(new ReloadEvent(Instant.now(), 3, 3, ReloadTrigger.SIGNAL, "", List.of(), Optional.empty(),
                FAILED, Duration.ofMillis(40), List.of()));

        assertThat(PrometheusText.parse(metrics.scrape())).contains(
                entry("taskd_reloads_total{result=\"failed\"}", 1.0),
                entry("taskd_reload_duration_seconds_sum{}", 0.04),
                entry("taskd_last_reload_success{}", 0.0));
    }

    @Test
    void iterationsAreCountedByTypeAndOutcomeWithADurationHistogramByType() {
        metrics.iteration("ralph", "failed", Duration.ofSeconds(40));
        metrics.iteration("ralph", "passed", Duration.ofSeconds(90));
        metrics.iteration("fix", "passed", Duration.ofMillis(300));

        Map<String, Double> samples = PrometheusText.parse(metrics.scrape());

        assertThat(samples).contains(
                entry("taskd_iterations_total{outcome=\"failed\",type=\"ralph\"}", 1.0),
                entry("taskd_iterations_total{outcome=\"passed\",type=\"ralph\"}", 1.0),
                entry("taskd_iterations_total{outcome=\"passed\",type=\"fix\"}", 1.0),
                entry("taskd_iteration_duration_seconds_bucket{type=\"ralph\",le=\"30.0\"}", 0.0),
                entry("taskd_iteration_duration_seconds_bucket{type=\"ralph\",le=\"60.0\"}", 1.0),
                entry("taskd_iteration_duration_seconds_bucket{type=\"ralph\",le=\"120.0\"}", 2.0),
                entry("taskd_iteration_duration_seconds_bucket{type=\"ralph\",le=\"+Inf\"}", 2.0),
                entry("taskd_iteration_duration_seconds_count{type=\"ralph\"}", 2.0),
                entry("taskd_iteration_duration_seconds_sum{type=\"ralph\"}", 130.0),
                entry("taskd_iteration_duration_seconds_bucket{type=\"fix\",le=\"0.5\"}", 1.0),
                entry("taskd_iteration_duration_seconds_count{type=\"fix\"}", 1.0));
    }

    @Test
    void gaugesReadTheirSourcesAtScrapeTime() {
        assertThat(PrometheusText.parse(metrics.scrape())).contains(
                entry("taskd_config_generation{}", 1.0),
                entry("taskd_loops{state=\"queued\"}", 0.0),
                entry("taskd_queue_length{}", 0.0),
                entry("taskd_processes_in_use{}", 0.0),
                entry("taskd_draining{}", 0.0));

        generation.set(4);
        loops.set(Map.of("queued", 7L, "running", 3L, "succeeded", 12L));
        queue.set(7);
        processes.set(2);
        draining.set(true);

        assertThat(PrometheusText.parse(metrics.scrape())).contains(
                entry("taskd_config_generation{}", 4.0),
                entry("taskd_loops{state=\"queued\"}", 7.0),
                entry("taskd_loops{state=\"running\"}", 3.0),
                entry("taskd_loops{state=\"succeeded\"}", 12.0),
                entry("taskd_queue_length{}", 7.0),
                entry("taskd_processes_in_use{}", 2.0),
                entry("taskd_draining{}", 1.0));
    }

    @Test
    void everyFamilyIsTypedAndHelpedInTheTextFormat() {
        metrics.reload(APPLIED, Duration.ofMillis(5));
        metrics.iteration("ralph", "passed", Duration.ofSeconds(1));
        List<String> lines = Arrays.asList(metrics.scrape().split("\n"));

        assertThat(lines).contains(
                "# TYPE taskd_reloads_total counter",
                "# TYPE taskd_reload_duration_seconds histogram",
                "# TYPE taskd_config_generation gauge",
                "# TYPE taskd_last_reload_success gauge",
                "# TYPE taskd_loops gauge",
                "# TYPE taskd_iterations_total counter",
                "# TYPE taskd_iteration_duration_seconds histogram",
                "# TYPE taskd_queue_length gauge",
                "# TYPE taskd_processes_in_use gauge",
                "# TYPE taskd_draining gauge");
        assertThat(lines.stream().filter(line -> line.startsWith("# TYPE "))).hasSize(10);
        assertThat(lines.stream().filter(line -> line.startsWith("# HELP "))).hasSize(10);
        assertThat(TaskdMetrics.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void twoInstancesDoNotShareARegistry() {
        TaskdMetrics other = new TaskdMetrics(new MetricSources(() -> 1, Map::of, () -> 0, () -> 0, () -> false));
        metrics.reload(APPLIED, Duration.ofMillis(5));

        assertThat(PrometheusText.parse(other.scrape())).contains(entry("taskd_reloads_total{result=\"applied\"}", 0.0));
    }

    private double lastReloadSuccess() {
        return PrometheusText.parse(metrics.scrape()).get("taskd_last_reload_success{}");
    }
}
