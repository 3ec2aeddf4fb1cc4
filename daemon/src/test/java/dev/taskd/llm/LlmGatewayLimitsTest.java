package dev.taskd.llm;

import static dev.taskd.llm.ScriptedLlmServer.slow;
import static dev.taskd.llm.ScriptedLlmServer.status;
import static dev.taskd.llm.ScriptedLlmServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmGatewayLimitsTest {

    LlmFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new LlmFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCancelStopsASlowReplyWithinASecond() throws Exception {
        fixture.server.then(slow(Duration.ofSeconds(30), text("late")));
        Cancellation cancellation = cancelAfter(Duration.ofMillis(300), Cancellation.Reason.TIMED_OUT);
        long started = System.nanoTime();

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), cancellation));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        assertThat(e).hasMessage("call to local/llama-3 stopped: timed_out");
        assertThat(fixture.outcomes()).containsExactly(CallRecord.Outcome.CANCELLED);
    }

    @Test
    void aCancelEndsABackoffAtOnce() throws Exception {
        fixture.close();
        fixture = new LlmFixture(new RetryPolicy(Duration.ofSeconds(5), 4, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 20, Duration.ofSeconds(30), Duration.ofSeconds(30)));
        fixture.server.otherwise(status(503, "busy"));
        Cancellation cancellation = cancelAfter(Duration.ofMillis(300), Cancellation.Reason.CANCELLED);
        long started = System.nanoTime();

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> fixture.gateway.chat(ChatRequest.of(null, "hi"), cancellation));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
    }

    @Test
    void neverMoreThanMaxApiCallsInFlightAcrossConcurrentCallers() throws Exception {
        fixture.limits.set(LlmFixture.limits(4, 1000));
        fixture.server.otherwise(slow(Duration.ofMillis(100), text("ok")));
        List<Future<ChatResponse>> calls = new ArrayList<>();
        try (ExecutorService callers = Executors.newThreadPerTaskExecutor(Threads.virtualFactory("test-caller"))) {
            for (int i = 0; i < 20; i++) {
                calls.add(callers.submit(() -> fixture.gateway.chat(ChatRequest.of(null, "hi"), new Cancellation())));
            }
            for (Future<ChatResponse> call : calls) {
                assertThat(call.get().content()).isEqualTo("ok");
            }
        }

        assertThat(fixture.server.requests()).hasSize(20);
        assertThat(fixture.server.maxInFlight()).isBetween(2, 4);
    }

    @Test
    void theRequestsPerMinuteLimitHoldsFurtherCallsUntilCancelled() throws Exception {
        fixture.limits.set(LlmFixture.limits(8, 2));
        fixture.server.otherwise(text("ok"));
        fixture.gateway.chat(ChatRequest.of(null, "one"), new Cancellation());
        fixture.gateway.chat(ChatRequest.of(null, "two"), new Cancellation());

        LlmException e = catchThrowableOfType(LlmException.class, () -> fixture.gateway.chat(
                ChatRequest.of(null, "three"), cancelAfter(Duration.ofMillis(300), Cancellation.Reason.CANCELLED)));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        assertThat(fixture.server.requests()).hasSize(2);
    }

    @Test
    void aCancelReachesACallWaitingForAnInFlightPermit() throws Exception {
        fixture.limits.set(LlmFixture.limits(1, 1000));
        fixture.server.then(slow(Duration.ofSeconds(2), text("first")));
        Thread holder = Threads.startVirtual("test-holder", () -> {
            try {
                fixture.gateway.chat(ChatRequest.of(null, "hold"), new Cancellation());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        long started = System.nanoTime();

        LlmException e = catchThrowableOfType(LlmException.class, () -> fixture.gateway.chat(
                ChatRequest.of(null, "wait"), cancelAfter(Duration.ofMillis(200), Cancellation.Reason.PAUSED)));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        holder.join();
        assertThat(fixture.server.requests()).hasSize(1);
    }

    private static Cancellation cancelAfter(Duration delay, Cancellation.Reason reason) {
        Cancellation cancellation = new Cancellation();
        Threads.startVirtual("test-cancel", () -> {
            try {
                Thread.sleep(delay);
                cancellation.cancel(reason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return cancellation;
    }
}
