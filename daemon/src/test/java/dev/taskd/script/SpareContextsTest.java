package dev.taskd.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

/** Contexts made ahead and closed afterwards: each fresh, each used once, each closed, never too many. */
class SpareContextsTest {

    private final SpareContexts contexts = new SpareContexts();

    @Test
    void aContextIsNeverHandedOutTwice() {
        Set<Context> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int call = 0; call < 3 * SpareContexts.CAPACITY; call++) {
            FreshContext fresh = contexts.take();
            assertThat(seen.add(fresh.context())).isTrue();
            contexts.retire(fresh);
        }
    }

    @Test
    void retiredContextsAreClosed() throws Exception {
        List<Context> used = new ArrayList<>();
        for (int call = 0; call < 3 * SpareContexts.CAPACITY; call++) {
            FreshContext fresh = contexts.take();
            used.add(fresh.context());
            contexts.retire(fresh);
        }

        // Evaluating in a context while the housekeeper closes it would cancel that evaluation:
        // wait until nothing is left to close, then look.
        await(() -> contexts.closing() == 0);
        for (Context context : used) {
            assertThatThrownBy(() -> context.eval("js", "1")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRetiredContextMayAlreadyBeClosedByACancellation() throws Exception {
        FreshContext fresh = contexts.take();
        fresh.context().close(true);

        contexts.retire(fresh);

        await(() -> contexts.ready() == SpareContexts.CAPACITY);
    }

    @Test
    void sparesAreMadeAfterARetireButNeverMoreThanTheCapacity() throws Exception {
        assertThat(contexts.ready()).isZero();

        for (int call = 0; call < 3; call++) {
            contexts.retire(contexts.take());
            await(() -> contexts.ready() == SpareContexts.CAPACITY);
        }

        assertThat(contexts.ready()).isEqualTo(SpareContexts.CAPACITY);
    }

    @Test
    void aSpareHasNotRunAnyScript() throws Exception {
        FreshContext first = contexts.take();
        first.context().eval("js", "globalThis.marker = 'left'; JSON.parse = null;");
        contexts.retire(first);
        await(() -> contexts.ready() == SpareContexts.CAPACITY);

        FreshContext spare = contexts.take();

        assertThat(spare.context().eval("js", "typeof globalThis.marker").asString()).isEqualTo("undefined");
        assertThat(spare.values().parseJson("{\"a\":1}").getMember("a").asInt()).isEqualTo(1);
        contexts.retire(spare);
    }

    /** Housekeeping runs on its own thread: wait for its effect, generously; this checks behaviour, not speed. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
