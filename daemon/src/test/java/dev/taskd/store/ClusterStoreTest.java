package dev.taskd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes, leases, claims, takeover and fencing on a real PostgreSQL, several nodes in one JVM. */
class ClusterStoreTest {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(400);

    @TempDir
    Path dataDir;

    PostgresTarget db;
    Store store;
    ClusterStore cluster;

    @BeforeEach
    void open() {
        db = PostgresServer.shared().newDatabase("cluster");
        store = Store.open(db, dataDir);
        cluster = ClusterStore.open(db);
    }

    @AfterEach
    void close() {
        cluster.close();
        store.close();
    }

    @Test
    void aSecondLiveNodeOfTheSameNameIsRefusedAndAfterItsLeaseTheNameJoinsAsANewIncarnation() throws Exception {
        Membership first = cluster.join("alpha", SHORT);
        assertThatThrownBy(() -> cluster.join("alpha", LONG))
                .isInstanceOf(NodeNameTakenException.class)
                .hasMessageContaining("node 'alpha' is already live").hasMessageContaining("another daemon.node");
        Thread.sleep(SHORT.toMillis() + 200);

        Membership second = cluster.join("alpha", LONG);
        assertThat(second.incarnation()).isGreaterThan(first.incarnation());
        assertThat(cluster.renew(first, LONG)).as("the dead incarnation cannot renew").isFalse();
        assertThat(cluster.renew(second, LONG)).isTrue();
    }

    @Test
    void aLeaseThatEndedCannotBeRenewedTheNodeMustRejoin() throws Exception {
        Membership member = cluster.join("alpha", SHORT);
        assertThat(cluster.renew(member, SHORT)).isTrue();
        Thread.sleep(SHORT.toMillis() + 200);
        assertThat(cluster.renew(member, SHORT)).isFalse();
        assertThat(cluster.nodes()).singleElement().satisfies(node -> assertThat(node.live()).isFalse());
    }

    @Test
    void claimsTakeHighestPriorityThenOldestAndHoldThisNodesLimits() {
        store.insertLoop(loop("L1", "a", 1, List.of()));
        store.insertLoop(loop("L2", "b", 5, List.of()));
        store.insertLoop(loop("L3", "b", 5, List.of()));
        store.insertLoop(loop("L4", "a", 9, List.of()));
        Membership alpha = cluster.join("alpha", LONG);

        List<Claim> claimed = cluster.claim(alpha, 3, Map.of("b", 1));

        assertThat(claimed).extracting(Claim::loopId).containsExactly("L4", "L2", "L1");
        assertThat(claimed).allSatisfy(c -> assertThat(c.iteration()).isEqualTo(1));
        assertThat(cluster.claim(alpha, 3, Map.of())).as("max-loops holds per node").isEmpty();
        Membership beta = cluster.join("beta", LONG);
        assertThat(cluster.claim(beta, 3, Map.of("b", 1))).extracting(Claim::loopId).containsExactly("L3");
        assertThat(store.loop("L3").orElseThrow().state()).isEqualTo(LoopState.RUNNING);
        assertThat(store.cutOffIterations()).hasSize(4);
    }

    @Test
    void aLoopWaitsUntilItsAfterLoopsSucceededOnAnotherNode() {
        store.insertLoop(loop("PARENT", "a", 0, List.of()));
        store.insertLoop(loop("CHILD", "a", 9, List.of("PARENT")));
        Membership alpha = cluster.join("alpha", LONG);
        Membership beta = cluster.join("beta", LONG);

        Claim parent = cluster.claim(alpha, 5, Map.of()).getFirst();
        assertThat(parent.loopId()).isEqualTo("PARENT");
        assertThat(cluster.claim(beta, 5, Map.of())).isEmpty();
        new FencedLoop(store, parent.fence(alpha)).finishIteration(Loops.iteration("PARENT", 1), "{}",
                LoopState.SUCCEEDED, "done");

        assertThat(cluster.claim(beta, 5, Map.of())).extracting(Claim::loopId).containsExactly("CHILD");
    }

    @Test
    void nodesClaimingAtOnceNeverClaimTheSameLoop() {
        for (int i = 0; i < 120; i++) {
            store.insertLoop(loop(String.format("L%03d", i), "a", 0, List.of()));
        }
        List<Membership> nodes = List.of(cluster.join("n1", LONG), cluster.join("n2", LONG), cluster.join("n3", LONG));
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> claiming = new ArrayList<>();
        for (Membership node : nodes) {
            claiming.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 20; round++) {
                    cluster.claim(node, 40, Map.of()).forEach(c -> claimed.add(c.loopId()));
                }
            }));
        }
        claiming.forEach(CompletableFuture::join);

        assertThat(claimed).hasSize(120).doesNotHaveDuplicates();
        assertThat(cluster.nodes()).extracting(NodeStatus::running).containsOnly(40);
    }

    @Test
    void aTakeoverRequeuesTheLoopWithItsStateRecordsTheCutOffIterationAndFencesTheOldOwner() throws Exception {
        store.insertLoop(loop("L1", "a", 0, List.of()));
        Membership alpha = cluster.join("alpha", SHORT);
        Claim claim = cluster.claim(alpha, 1, Map.of()).getFirst();
        FencedLoop onAlpha = new FencedLoop(store, claim.fence(alpha));
        onAlpha.finishIteration(Loops.iteration("L1", 1), "{\"n\":1}", null, null);
        onAlpha.beginIteration(2, Loops.T0).join();
        Thread.sleep(SHORT.toMillis() + 200); // alpha stops renewing: a GC pause, a lost network

        Membership beta = cluster.join("beta", LONG);
        List<Takeover> taken = cluster.takeOverExpired(beta);

        assertThat(taken).singleElement().satisfies(t -> {
            assertThat(t.node()).isEqualTo("alpha");
            assertThat(t.loops()).containsExactly("L1");
            assertThat(t.interrupted()).containsExactly(2);
        });
        assertThat(store.iterations("L1")).extracting(IterationRecord::outcome)
                .containsExactly(IterationOutcome.FAILED, IterationOutcome.INTERRUPTED);
        assertThatThrownBy(() -> onAlpha.finishIteration(Loops.iteration("L1", 3), "{\"late\":true}",
                LoopState.SUCCEEDED, "late"))
                .isInstanceOf(LoopFencedException.class).hasMessageContaining("no longer owns it");
        assertThat(store.iterations("L1")).as("the late write changed nothing").hasSize(2);

        Claim resumed = cluster.claim(beta, 1, Map.of()).getFirst();
        assertThat(resumed.iteration()).as("resumes at its next iteration").isEqualTo(3);
        assertThat(resumed.epoch()).isGreaterThan(claim.epoch());
        LoopRecord loop = store.loop("L1").orElseThrow();
        assertThat(loop.stateJson()).isEqualTo("{\"n\":1}");
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        assertThat(cluster.renew(alpha, LONG)).as("the old incarnation is gone").isFalse();
        assertThat(cluster.takeOverExpired(beta)).isEmpty();
    }

    @Test
    void whileItsFenceIsHeldEveryPlainWriteForTheLoopIsFencedAndARevokedFenceRefusesWithoutTheDatabase()
            throws Exception {
        store.insertLoop(loop("L1", "a", 0, List.of()));
        store.insertLoop(loop("L2", "a", 0, List.of()));
        Membership alpha = cluster.join("alpha", SHORT);
        for (Claim claim : cluster.claim(alpha, 2, Map.of())) {
            store.fences().hold(claim.fence(alpha));
        }
        store.saveState("L1", "{\"n\":1}");
        Thread.sleep(SHORT.toMillis() + 200);
        Membership beta = cluster.join("beta", LONG);
        cluster.takeOverExpired(beta);

        assertThatThrownBy(() -> store.finishIteration(Loops.iteration("L1", 1), "{\"late\":true}",
                LoopState.SUCCEEDED, "late")).isInstanceOf(LoopFencedException.class);
        assertThat(store.loop("L1").orElseThrow().state()).as("the late write changed nothing")
                .isEqualTo(LoopState.QUEUED);
        Claim again = cluster.claim(beta, 1, Map.of()).getFirst();
        store.fences().revokeAll();
        assertThatThrownBy(() -> store.saveState("L2", "{}")).as("revoked: refused before the database")
                .isInstanceOf(LoopFencedException.class);
        store.fences().release("L1");
        store.fences().release("L2");
        store.fences().hold(again.fence(beta));
        store.saveState(again.loopId(), "{\"on\":\"beta\"}");
        assertThat(store.loop(again.loopId()).orElseThrow().stateJson()).isEqualTo("{\"on\":\"beta\"}");
    }

    @Test
    void aLoopCancelledThroughAnotherNodeRefusesItsOwnersNextWrite() {
        store.insertLoop(loop("L1", "a", 0, List.of()));
        Membership alpha = cluster.join("alpha", LONG);
        store.fences().hold(cluster.claim(alpha, 1, Map.of()).getFirst().fence(alpha));
        try (Store other = Store.open(db, dataDir.resolve("b"))) {
            assertThat(other.updateLoopState("L1", LoopState.RUNNING, LoopState.CANCELLED, "cancelled on beta")).isTrue();
        }
        assertThatThrownBy(() -> store.finishIteration(Loops.iteration("L1", 1), "{}", null, null))
                .isInstanceOf(LoopFencedException.class).hasMessageContaining("cancelled or paused through another");
        assertThat(store.iterations("L1")).isEmpty();
    }

    @Test
    void queuedLoopsWhoseDependencyFailedWasCancelledOrIsMissingAreFoundWithTheFirstSuchDependency() {
        store.insertLoop(loop("P1", "a", 0, List.of()));
        store.insertLoop(loop("P2", "a", 0, List.of()));
        store.insertLoop(loop("P3", "a", 0, List.of()));
        store.updateLoopState("P1", LoopState.QUEUED, LoopState.FAILED, "validation failed");
        store.updateLoopState("P2", LoopState.QUEUED, LoopState.CANCELLED, null);
        store.updateLoopState("P3", LoopState.QUEUED, LoopState.SUCCEEDED, null);
        store.insertLoop(loop("D1", "a", 0, List.of("P3", "P1")));
        store.insertLoop(loop("D2", "a", 0, List.of("P2", "P1")));
        store.insertLoop(loop("D3", "a", 0, List.of("GONE")));
        store.insertLoop(loop("D4", "a", 0, List.of("P3")));
        store.insertLoop(loop("D5", "a", 0, List.of()));

        assertThat(cluster.brokenDependencies(10)).containsExactly(
                new BrokenDependency("D1", "P1", LoopState.FAILED),
                new BrokenDependency("D2", "P2", LoopState.CANCELLED),
                new BrokenDependency("D3", "GONE", null));
        assertThat(cluster.brokenDependencies(1)).extracting(BrokenDependency::loopId).containsExactly("D1");
        store.updateLoopState("D1", LoopState.QUEUED, LoopState.FAILED, "dependency P1 failed");
        assertThat(cluster.brokenDependencies(10)).as("a loop that ended is not queued any more")
                .extracting(BrokenDependency::loopId).containsExactly("D2", "D3");
    }

    private static LoopRecord loop(String id, String type, int priority, List<String> after) {
        return new LoopRecord(id, type, "1", Map.of(), "{}", LoopState.QUEUED, null, 0, priority, after, null,
                Loops.T0, Loops.T0, 1);
    }
}
