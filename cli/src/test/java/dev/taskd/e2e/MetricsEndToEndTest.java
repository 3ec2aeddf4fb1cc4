package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the real daemon: Prometheus text that parses (and that
 * {@code promtool check metrics} accepts, where promtool is installed), counters that move, the
 * JVM's and the process's series and {@code taskd_build_info}. One daemon for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {

    /** A sample line of the Prometheus text format: name, optional labels, a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? "
                    + "(-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[-+]Inf)");

    private Path home;
    private DaemonProcess daemon;

    @BeforeAll
    void startDaemon(@TempDir Path home) throws Exception {
        this.home = home;
        daemon = new DaemonProcess(home, "").start();
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void theScrapeHasTheJvmAndProcessSeriesAndTheBuildInfo() {
        String scrape = scrape(daemon);
        assertThat(value(scrape, "jvm_threads_current")).isPositive();
        assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"}");
        assertThat(value(scrape, "process_cpu_seconds_total")).isPositive();
        assertThat(value(scrape, "process_resident_memory_bytes")).isPositive();
        Matcher info = Pattern.compile("^taskd_build_info\\{jdk=\"([^\"]+)\",version=\"([^\"]+)\"} 1(\\.0)?$",
                Pattern.MULTILINE).matcher(scrape);
        assertThat(info.find()).as("taskd_build_info in:\n%s", scrape).isTrue();
        assertThat(info.group(1)).startsWith(String.valueOf(Runtime.version().feature()));
        assertThat(info.group(2)).isNotBlank();
    }

    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        Path promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool != null,
                "promtool is not on PATH (Debian: apt-get install prometheus); 'promtool check metrics' skipped");
        Path scrape = home.resolve("scrape.txt");
        Files.writeString(scrape, scrape(daemon));
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("promtool check metrics said:\n%s", said).isZero();
    }

    @Test
    void theScrapeIsPrometheusTextAndItsCountersMoveWithReloadsAndIterations() throws Exception {
        String before = scrape(daemon);
        assertThat(value(before, "taskd_reloads_total{result=\"applied\"}")).isZero();

        String loop = daemon.submit("hello", "{\"count\":\"2\"}", 0);
        daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");
        Files.writeString(daemon.config, Files.readString(daemon.config) + "\n[limits]\nmax-loops = 9\n");
        daemon.post("/v1/reload", "");
        DaemonProcess.await(Duration.ofSeconds(5), "the reload counted",
                () -> value(scrape(daemon), "taskd_reloads_total{result=\"applied\"}") == 1);

        String after = scrape(daemon);
        for (String line : after.lines().toList()) {
            if (!line.isEmpty() && !line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) {
                assertThat(SAMPLE.matcher(line).matches()).as("sample line: %s", line).isTrue();
            }
        }
        assertThat(value(after, "taskd_config_generation")).isEqualTo(2);
        assertThat(value(after, "taskd_last_reload_success")).isEqualTo(1);
        assertThat(value(after, "taskd_iterations_total{outcome=\"completed\",type=\"hello\"}")).isEqualTo(1);
        assertThat(value(after, "taskd_loops{state=\"succeeded\"}")).isEqualTo(1);
        assertThat(value(after, "taskd_iteration_duration_seconds_count{type=\"hello\"}")).isEqualTo(2);
        assertThat(value(after, "taskd_draining")).isZero();
        assertThat(after).contains("# TYPE taskd_reload_duration_seconds histogram");
    }

    private static Path onPath(String program) {
        for (String directory : List.of(System.getenv().getOrDefault("PATH", "").split(":"))) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String scrape(DaemonProcess daemon) {
        try {
            HttpResponse<String> response = daemon.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            return response.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        if (!line.find()) {
            throw new AssertionError("no series " + series + " in:\n" + scrape);
        }
        return Double.parseDouble(line.group(1));
    }
}
