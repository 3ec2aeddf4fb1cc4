package dev.taskd.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateWindowTest {

    final AtomicLong now = new AtomicLong(1_000);
    final AtomicInteger limit = new AtomicInteger(2);
    final RateWindow window = new RateWindow(limit::get, now::get);

    @Test
    void admitsTheLimitThenWaitsUntilTheOldestStartLeaves() {
        assertThat(window.tryStart()).isZero();
        now.addAndGet(seconds(10));
        assertThat(window.tryStart()).isZero();

        assertThat(window.tryStart()).isEqualTo(seconds(50));
        now.addAndGet(seconds(50));
        assertThat(window.tryStart()).isZero();
        assertThat(window.tryStart()).isEqualTo(seconds(10));
    }

    @Test
    void aRaisedLimitAppliesToTheNextStart() {
        window.tryStart();
        window.tryStart();
        assertThat(window.tryStart()).isPositive();

        limit.set(3);

        assertThat(window.tryStart()).isZero();
    }

    @Test
    void aLoweredLimitWaitsUntilEnoughStartsLeave() {
        limit.set(3);
        window.tryStart();
        now.addAndGet(seconds(1));
        window.tryStart();
        now.addAndGet(seconds(1));
        window.tryStart();

        limit.set(1);

        assertThat(window.tryStart()).as("all three must leave: the newest at +62 s").isEqualTo(seconds(60));
    }

    private static long seconds(long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
