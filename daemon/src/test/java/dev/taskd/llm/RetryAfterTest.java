package dev.taskd.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final RetryPolicy POLICY = RetryPolicy.defaults();

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(wait(Map.of("Retry-After", "3"))).isEqualTo(Duration.ofSeconds(3));
        assertThat(wait(Map.of("Retry-After", "Sat, 01 Mar 2025 12:00:07 GMT"))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void prefersMillisecondsWhenTheServerSendsThem() {
        assertThat(wait(Map.of("retry-after-ms", "250", "Retry-After", "1"))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void fallsBackToTheDefaultAndClampsToTheCap() {
        assertThat(wait(Map.of())).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait(Map.of("Retry-After", "soon"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait(Map.of("Retry-After", "3600"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(wait(Map.of("Retry-After", "Sat, 01 Mar 2025 11:00:00 GMT"))).isEqualTo(Duration.ZERO);
    }

    private static Duration wait(Map<String, String> headers) {
        Map<String, List<String>> values = new HashMap<>();
        headers.forEach((name, value) -> values.put(name, List.of(value)));
        return RetryAfter.from(HttpHeaders.of(values, (name, value) -> true), NOW, POLICY);
    }
}
