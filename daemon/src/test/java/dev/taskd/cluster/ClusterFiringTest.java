package dev.taskd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.store.ClusterStore;
import dev.taskd.store.PostgresServer;
import dev.taskd.store.PostgresTarget;
import dev.taskd.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules fire once per cluster: two nodes' firings on one real PostgreSQL, each with its own pool. */
class ClusterFiringTest {

    @TempDir
    Path dataDir;

    PostgresTarget db;
    Store store;
    ClusterStore alphaStore;
    ClusterStore betaStore;

    @BeforeEach
    void open() {
        db = PostgresServer.shared().newDatabase("firing");
        store = Store.open(db, dataDir); // creates the tables
        alphaStore = ClusterStore.open(db);
        betaStore = ClusterStore.open(db);
    }

    @AfterEach
    void close() {
        alphaStore.close();
        betaStore.close();
        store.close();
    }

    @Test
    void twoNodesAskingForTheSameFireTimesAtOnceFireEachExactlyOnce() throws Exception {
        ClusterFiring alpha = new ClusterFiring(alphaStore, "alpha");
        ClusterFiring beta = new ClusterFiring(betaStore, "beta");
        Instant base = Instant.parse("2026-12-01T10:00:00Z");
        int alphaFired = 0;
        for (int i = 0; i < 40; i++) {
            Instant time = base.plusSeconds(60L * i);
            CountDownLatch go = new CountDownLatch(1);
            // Whichever thread starts first tends to win; alternate, so both nodes win some.
            CompletableFuture<Boolean> a;
            CompletableFuture<Boolean> b;
            if (i % 2 == 0) {
                a = CompletableFuture.supplyAsync(() -> await(go, () -> alpha.thisNodeFires("nightly", time)));
                b = CompletableFuture.supplyAsync(() -> await(go, () -> beta.thisNodeFires("nightly", time)));
            } else {
                b = CompletableFuture.supplyAsync(() -> await(go, () -> beta.thisNodeFires("nightly", time)));
                a = CompletableFuture.supplyAsync(() -> await(go, () -> alpha.thisNodeFires("nightly", time)));
            }
            go.countDown();
            assertThat(List.of(a.get(), b.get())).as("who fires nightly at " + time).containsOnlyOnce(true);
            alphaFired += a.get() ? 1 : 0;
        }
        assertThat(alpha.thisNodeFires("nightly", base)).as("a fire time already fired, asked again").isFalse();
        assertThat(beta.thisNodeFires("hourly", base)).as("another schedule at the same time is its own").isTrue();
        System.out.println("firing: alpha fired " + alphaFired + " of 40 contended fire times, beta the rest");
    }

    @Test
    void claimsOlderThanAWeekArePrunedAndRecentOnesKept() throws Exception {
        Instant old = Instant.parse("2026-01-01T00:00:00Z");
        Instant recent = Instant.parse("2026-11-30T00:00:00Z");
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schedule_fires (schedule, fire_time, node, fired_at) VALUES"
                    + " ('nightly', '" + old + "', 'gone', now() - interval '8 days'),"
                    + " ('nightly', '" + recent + "', 'gone', now() - interval '6 days')");
        }
        ClusterFiring alpha = new ClusterFiring(alphaStore, "alpha"); // prunes along with its first claim

        assertThat(alpha.thisNodeFires("nightly", recent)).as("claimed 6 days ago: kept").isFalse();
        assertThat(new ClusterFiring(betaStore, "beta").thisNodeFires("nightly", old))
                .as("claimed 8 days ago: pruned, so claimable again").isTrue();
        List<String> left = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT node FROM schedule_fires ORDER BY fire_time")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        assertThat(left).containsExactly("beta", "gone");
    }

    private static boolean await(CountDownLatch go, java.util.function.BooleanSupplier ask) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ask.getAsBoolean();
    }
}
